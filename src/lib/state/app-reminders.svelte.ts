import { getDb } from '$lib/device/db';
import { ReminderStore } from '$lib/device/reminder-store';
import { browserPlatform, PushReminders } from '$lib/pwa/push-subscription';
import { Reminders } from './reminders.svelte';
import { session } from './session.svelte';

/**
 * The app's one reminders object, made when this module loads, outside any component: Svelte
 * makes an effect root opened during a component's setup that component's child, so `follow`
 * called from there would stop when the layout renders the patient's screens anew (a restore).
 * The root layout loads this module only once there is a plan, so a new visitor's first screen
 * goes without its code.
 */
const reminders = (() => {
	const store = new ReminderStore(getDb);
	const made = new Reminders(
		() => session.carePlan,
		new PushReminders(browserPlatform(), store),
		store
	);
	made.follow();
	return made;
})();

/** The app's push reminders, following whichever plan is open. */
export function useReminders(): Reminders {
	return reminders;
}
