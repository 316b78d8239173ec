import { getDb } from '$lib/device/db';
import type { ReminderRecord } from '$lib/domain/reminders';
import { isPatient, session } from '$lib/state/session.svelte';
import type { PageLoad } from './$types';

/**
 * Today's screen, or null for a new visitor, whom the layout sends on to /welcome: a first visit
 * then never downloads Today's code. For a patient, Today's code loads alongside the layout's load,
 * and so does the reminder a notification's link names (`/?reminder=<opaque id>`): Today then
 * opens at its task, with Done and Snooze, within the navigation that scrolls and focuses it.
 */
export const load: PageLoad = async ({ parent, url }) => {
	// Storage that will not open shows nothing here: the layout tells the patient why.
	const patient = await isPatient().catch(() => false);
	const reminderId = url.searchParams.get('reminder');
	const [today, , reminder] = await Promise.all([
		patient ? import('$lib/components/plan/Today.svelte') : null,
		parent(),
		patient && reminderId ? findReminder(reminderId) : undefined
	]);
	return {
		Today: today && session.carePlan?.onboarded ? today.default : null,
		reminder: reminder ?? null
	};
};

/** The reminder in the phone's mirror; none when it is gone (done, or long past) or unreadable. */
async function findReminder(id: string): Promise<ReminderRecord | undefined> {
	const { ReminderStore } = await import('$lib/device/reminder-store');
	return new ReminderStore(getDb).reminder(id).catch((error: unknown) => {
		console.error(error);
		return undefined;
	});
}
