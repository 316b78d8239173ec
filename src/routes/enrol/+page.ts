import type { Protocol } from '$lib/domain/protocol';
import { readEnrolment } from '$lib/domain/enrolment';
import { keptEnrolment } from '$lib/forms/enrolment-draft';
import { language } from '$lib/i18n/language.svelte';
import { languageOf, pickLocale } from '$lib/i18n/pick-locale';
import { locales } from '$lib/paraglide/runtime';
import { isPatient, openCarePlan } from '$lib/state/session.svelte';
import type { PageLoad } from './$types';

/**
 * A clinic's link starts a plan or adds to one, so it opens the plan: on the protocol the link
 * names, when the server offers it beside its default and the phone has no plan yet (the plan
 * pins it once built). The screen comes with it, by `import()`: the app's entry lists every
 * route's own files and styles, and every first visit downloads it, so this route keeps one file
 * there.
 */
export const load: PageLoad = async ({ parent, fetch }) => {
	speakLinkLanguage();
	const [{ protocol: served }, screen] = await Promise.all([
		parent(),
		import('$lib/components/enrol/EnrolmentScreen.svelte')
	]);
	try {
		await openCarePlan((await linkedProtocol(fetch, served)) ?? served);
		return { EnrolmentScreen: screen.default };
	} catch (cause) {
		console.error(cause);
		return { EnrolmentScreen: null };
	}
};

/**
 * A link that names the patient's language (`lang`, chosen by the clinic's staff) opens the app in
 * it, before the screen renders: so is everything after, the plan's questions included. Only while
 * the patient has not chosen a language on this phone: their own choice wins. A language the app
 * does not have is ignored.
 */
function speakLinkLanguage(): void {
	if (location.hash.length <= 1 || language.chosen !== null) {
		return;
	}
	const wanted = readEnrolment(location.hash.slice(1)).language;
	if (wanted === null) {
		return;
	}
	const { locale } = pickLocale(wanted, [], locales);
	if (languageOf(locale) === languageOf(wanted)) {
		language.choose(locale);
	}
}

/** The other protocol of this server the link names, or null (none, the same, or a patient's). */
async function linkedProtocol(
	fetch: typeof globalThis.fetch,
	served: Protocol
): Promise<Protocol | null> {
	const fragment =
		location.hash.length > 1 ? location.hash.slice(1) : keptEnrolment(sessionStorage);
	const wanted = fragment === null ? undefined : readEnrolment(fragment).found.protocol;
	if (!wanted || wanted === served.id || (await isPatient().catch(() => true))) {
		return null;
	}
	try {
		const response = await fetch(`/api/protocol?id=${encodeURIComponent(wanted)}`);
		return response.ok ? ((await response.json()) as Protocol) : null;
	} catch {
		// Offline, or the server no longer has it: the screen explains the link.
		return null;
	}
}
