import { error } from '@sveltejs/kit';
import { getDb } from '$lib/device/db';
import { loadProtocol } from '$lib/device/protocol-cache';
import type { LayoutLoad } from './$types';

// Everything about the patient lives in IndexedDB on the phone, so pages render there only.
export const ssr = false;

export const load: LayoutLoad = async ({ fetch }) => {
	try {
		return await loadProtocol(fetch, getDb);
	} catch (cause) {
		error(503, (cause as Error).message);
	}
};
