/** Length of an opaque reminder id: 22 base64url characters, 132 bits of the HMAC. */
export const OPAQUE_ID_LENGTH = 22;

/** A new random per-device secret for the opaque ids; it never leaves the phone. */
export function newReminderSecret(): Uint8Array<ArrayBuffer> {
	return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * Makes opaque ids for task occurrences: HMAC-SHA-256 of the occurrence id (which names the
 * task, e.g. "ice-pack") with the device's secret, base64url, truncated. The same phone always
 * gives the same id for an occurrence; the server cannot tell which task or day it is.
 * @param secret the device's secret (`newReminderSecret`)
 * @returns a function from occurrence id to opaque id
 */
export async function opaqueIds(
	secret: Uint8Array<ArrayBuffer>
): Promise<(occurrenceId: string) => Promise<string>> {
	const key = await crypto.subtle.importKey(
		'raw',
		secret,
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign']
	);
	const encoder = new TextEncoder();
	return async (occurrenceId) => {
		const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(occurrenceId));
		return base64url(new Uint8Array(mac)).slice(0, OPAQUE_ID_LENGTH);
	};
}

/** Unpadded base64url (RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) {
		binary += String.fromCharCode(byte);
	}
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * Decodes base64url, as VAPID public keys come, into the bytes `pushManager.subscribe` takes.
 * @param text base64url, padded or not
 */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
	const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
	const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
	return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
