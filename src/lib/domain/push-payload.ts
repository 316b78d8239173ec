/**
 * What the push server sends to the phone. It holds nothing about health: only an opaque id the
 * phone maps back to its own task, and generic words the phone shows should its own text be gone.
 * Shared by the server's dispatcher and the service worker.
 */
export interface PushPayload {
	/** Format version. */
	v: 1;
	/** Opaque reminder id, as the phone registered it. */
	reminderId: string;
	/** Generic fallback title. */
	title: string;
	/** Generic fallback body. */
	body: string;
}

/** The words every push carries, for when the phone has no text of its own for the reminder. */
export const genericReminder = {
	title: 'Aftercare reminder',
	body: 'You have a care step due. Open the app to see it.'
} as const;

/**
 * Checks a decoded push message; anything else is not ours to trust.
 * @param value the parsed JSON of a push message
 * @returns the payload, or null when it is not a version 1 payload
 */
export function parsePushPayload(value: unknown): PushPayload | null {
	if (typeof value !== 'object' || value === null) {
		return null;
	}
	const { v, reminderId, title, body } = value as Record<string, unknown>;
	if (v !== 1 || typeof reminderId !== 'string' || reminderId.length === 0) {
		return null;
	}
	return {
		v,
		reminderId,
		title: typeof title === 'string' && title.trim() ? title : genericReminder.title,
		body: typeof body === 'string' && body.trim() ? body : genericReminder.body
	};
}

/**
 * The payload the server sends for one due reminder: the opaque id and the generic words only.
 * @param reminderId the opaque id the phone registered
 */
export function reminderPushPayload(reminderId: string): PushPayload {
	return { v: 1, reminderId, ...genericReminder };
}
