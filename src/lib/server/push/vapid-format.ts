import { Buffer } from 'node:buffer';

const base64url = /^[A-Za-z0-9_-]+={0,2}$/;

/**
 * Decodes base64url (padding optional), or `null` when the text is not base64url.
 * @param text the encoded value
 */
export function decodeBase64url(text: string): Buffer | null {
	if (!base64url.test(text)) {
		return null;
	}
	return Buffer.from(text, 'base64url');
}

/**
 * Whether `text` is the base64url of an uncompressed P-256 point (65 bytes, starting 0x04).
 * @param text the encoded key
 */
export function isUncompressedP256Point(text: string): boolean {
	const bytes = decodeBase64url(text);
	return bytes !== null && bytes.length === 65 && bytes[0] === 0x04;
}

/**
 * Whether `text` can be a VAPID public key.
 * @param text the base64url key
 */
export function isVapidPublicKey(text: string): boolean {
	return isUncompressedP256Point(text);
}

/**
 * Whether `text` can be a VAPID private key (a 32-byte P-256 scalar).
 * @param text the base64url key
 */
export function isVapidPrivateKey(text: string): boolean {
	const bytes = decodeBase64url(text);
	return bytes !== null && bytes.length === 32;
}

/**
 * Whether `subject` is a contact the push services accept: `mailto:` with an address, or an
 * `https:` URL. Apple refuses tokens whose subject is missing or points at localhost.
 * @param subject the VAPID `sub` claim
 */
export function isVapidSubject(subject: string): boolean {
	if (/^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$/.test(subject)) {
		return !/@localhost$/i.test(subject);
	}
	try {
		const url = new URL(subject);
		return url.protocol === 'https:' && url.hostname !== 'localhost' && url.hostname !== '';
	} catch {
		return false;
	}
}
