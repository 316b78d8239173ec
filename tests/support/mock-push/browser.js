// The browser's side of Web Push, for the mock push service, the integration tests and the
// benchmarks: a fake subscription (its P-256 key pair and auth secret) and RFC 8291 (aes128gcm)
// decryption of what a push service receives, as the browser would decrypt it.
import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A "browser" push subscription: its own P-256 key pair and auth secret.
 * @typedef {object} FakeBrowser
 * @property {import('node:crypto').ECDH} ecdh
 * @property {Buffer} auth
 * @property {{ p256dh: string, auth: string }} keys the subscription's keys, base64url
 * @property {string} privateKey the ECDH private key, base64url (to rebuild it elsewhere)
 * @property {(endpoint: string) => {
 *   endpoint: string, expirationTime: null, keys: { p256dh: string, auth: string }
 * }} subscription `PushSubscription.toJSON()` for the given endpoint
 */

/**
 * A new browser key pair and auth secret, or the one given (base64url), e.g. from another process.
 * @param {{ privateKey: string, auth: string }} [from]
 * @returns {FakeBrowser}
 */
export function fakeBrowser(from) {
	const ecdh = createECDH('prime256v1');
	if (from) {
		ecdh.setPrivateKey(Buffer.from(from.privateKey, 'base64url'));
	} else {
		ecdh.generateKeys();
	}
	const auth = from ? Buffer.from(from.auth, 'base64url') : randomBytes(16);
	const keys = {
		p256dh: ecdh.getPublicKey().toString('base64url'),
		auth: auth.toString('base64url')
	};
	return {
		ecdh,
		auth,
		keys,
		privateKey: ecdh.getPrivateKey().toString('base64url'),
		subscription: (endpoint) => ({ endpoint, expirationTime: null, keys: { ...keys } })
	};
}

/**
 * Decrypts an RFC 8291 (aes128gcm, one record) push message body as the browser would.
 * @param {Buffer} body the request body the push service received
 * @param {Pick<FakeBrowser, 'ecdh' | 'auth'>} browser the subscription's keys
 * @returns {string}
 */
export function decryptPushBody(body, browser) {
	if (body.length < 21) {
		throw new Error(`body too short for an aes128gcm header (${body.length} bytes)`);
	}
	const salt = body.subarray(0, 16);
	const recordSize = body.readUInt32BE(16);
	const idLength = body[20] ?? 0;
	const senderKey = body.subarray(21, 21 + idLength);
	const ciphertext = body.subarray(21 + idLength);
	if (idLength !== 65 || ciphertext.length > recordSize) {
		throw new Error(`unexpected aes128gcm header (keyid ${idLength} bytes, rs ${recordSize})`);
	}
	const receiverKey = browser.ecdh.getPublicKey();
	const sharedSecret = browser.ecdh.computeSecret(senderKey);
	const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverKey, senderKey]);
	const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, browser.auth, keyInfo, 32));
	const cek = Buffer.from(
		hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16)
	);
	const nonce = Buffer.from(
		hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12)
	);
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(ciphertext.subarray(-16));
	const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
	// The last record ends with a 0x02 delimiter followed by optional zero padding.
	let end = padded.length - 1;
	while (end >= 0 && padded[end] === 0) {
		end -= 1;
	}
	if (padded[end] !== 2) {
		throw new Error('missing the last-record padding delimiter');
	}
	return padded.subarray(0, end).toString('utf8');
}
