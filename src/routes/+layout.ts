import { error } from '@sveltejs/kit';
import type { Component } from 'svelte';
import { getDb } from '$lib/device/db';
import { loadProtocol } from '$lib/device/protocol-cache';
import { m } from '$lib/paraglide/messages';
import { connection } from '$lib/pwa/connection.svelte';
import { isPatient, openCarePlan } from '$lib/state/session.svelte';
import type { LayoutLoad } from './$types';

// Everything about the patient lives in IndexedDB on the phone, so pages render there only.
export const ssr = false;

/**
 * The protocol, and for a patient the open care plan and the patient's part of the layout, so the
 * first screen appears complete. A new visitor gets neither: the welcome screen needs no plan code.
 */
export const load: LayoutLoad = async ({ fetch }) => {
	// At once: the protocol from the server, and whether the phone holds a plan (then its code).
	const patient = isPatient();
	// Awaited below, unless the protocol fails first: handled now, so neither is left unhandled.
	patient.catch(() => undefined);
	const chrome = patient
		.then((yes) => (yes ? import('$lib/components/shell/PatientChrome.svelte') : null))
		.catch(() => null);
	let protocol;
	try {
		let serverAnswered;
		({ protocol, serverAnswered } = await loadProtocol(fetch, getDb));
		connection.serverAnswered(serverAnswered);
	} catch {
		// The one way it fails: a first start that cannot reach the server.
		error(503, m.shell_error_needs_connection());
	}
	try {
		const carePlan = (await patient) ? await openCarePlan(protocol) : null;
		const PatientChrome: Component | null = carePlan?.onboarded
			? ((await chrome)?.default ?? null)
			: null;
		return { protocol, PatientChrome, storageFailed: false };
	} catch (cause) {
		// The layout tells the patient; the protocol still shows the disclaimer.
		console.error(cause);
		return { protocol, PatientChrome: null, storageFailed: true };
	}
};
