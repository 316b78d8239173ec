/**
 * What the server pushes for a due reminder, and what the service worker reads from a push
 * event. It names no care step and nothing about the patient: the push service relays it (in
 * encrypted form), and the phone finds the step itself from the reminder id.
 */
export interface ReminderPushPayload {
	/** Payload format version; a worker ignores versions it does not know. */
	v: 1;
	/** The opaque reminder id the phone registered (an occurrence id of its plan). */
	reminderId: string;
	/** Notification title. */
	title: string;
	/** Notification body. */
	body: string;
}

/** The title every reminder notification shows. */
export const reminderPushTitle = 'Aftercare reminder';

/** The body every reminder notification shows: generic, so a lock screen reveals nothing. */
export const reminderPushBody = 'You have a care step due. Open the app to see it.';

/**
 * The payload for one reminder.
 * @param reminderId the opaque id the phone registered
 */
export function reminderPushPayload(reminderId: string): ReminderPushPayload {
	return { v: 1, reminderId, title: reminderPushTitle, body: reminderPushBody };
}

/**
 * Reads a push event's data as a reminder payload, or `null` when it is something else.
 * @param data the parsed JSON of the push message
 */
export function parseReminderPushPayload(data: unknown): ReminderPushPayload | null {
	if (typeof data !== 'object' || data === null) {
		return null;
	}
	const record = data as Record<string, unknown>;
	if (
		record.v !== 1 ||
		typeof record.reminderId !== 'string' ||
		typeof record.title !== 'string' ||
		typeof record.body !== 'string'
	) {
		return null;
	}
	return { v: 1, reminderId: record.reminderId, title: record.title, body: record.body };
}
