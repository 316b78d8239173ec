// The browser's side of Web Push in plain JavaScript, shared by the integration tests
// (tests/integration/helpers.ts re-exports it) and the benchmarks: a self-signed certificate for a
// loopback push service, fake browser subscriptions, RFC 8291 (aes128gcm) decryption and RFC 8292
// (VAPID) token checks.
import { spawnSync } from 'node:child_process';
import {
	createDecipheriv,
	createECDH,
	createPublicKey,
	hkdfSync,
	randomBytes,
	verify
} from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI.
 * @param {string} [dir] where to write key.pem and cert.pem (default: a new temporary folder)
 * @returns {{ key: string, cert: string, certPath: string, keyPath: string }}
 */
export function selfSignedCertificate(dir = mkdtempSync(join(tmpdir(), 'aftercare-tls-'))) {
	const keyPath = join(dir, 'key.pem');
	const certPath = join(dir, 'cert.pem');
	const result = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			keyPath,
			'-out',
			certPath,
			'-days',
			'2',
			'-subj',
			'/CN=Aftercare test push service',
			'-addext',
			'subjectAltName=IP:127.0.0.1,DNS:localhost'
		],
		{ encoding: 'utf8' }
	);
	if (result.error || result.status !== 0) {
		// Not a skip: the integration tests need it (Debian: apt-get install -y openssl).
		throw new Error(
			`openssl could not make a test certificate: ${result.error?.message ?? result.stderr}`
		);
	}
	return {
		key: readFileSync(keyPath, 'utf8'),
		cert: readFileSync(certPath, 'utf8'),
		certPath,
		keyPath
	};
}

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

/**
 * The claims of a checked VAPID token.
 * @typedef {object} VapidClaims
 * @property {string} aud
 * @property {number} exp
 * @property {string} sub
 * @property {string} publicKey the `k=` public key, base64url
 */

/**
 * Checks an `Authorization: vapid t=<jwt>, k=<key>` header (RFC 8292): ES256 signature by `k`.
 * @param {string | undefined} header the Authorization header
 * @returns {VapidClaims} the claims, for the caller to compare
 * @throws when the header, token or signature is wrong
 */
export function verifyVapid(header) {
	const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
	if (!match?.[1] || !match[2]) {
		throw new Error(`not a vapid Authorization header: ${header}`);
	}
	const [jwtHeader, jwtPayload, signature] = match[1].split('.');
	if (!jwtHeader || !jwtPayload || !signature) {
		throw new Error('the token is not a JWT');
	}
	const head = JSON.parse(Buffer.from(jwtHeader, 'base64url').toString('utf8'));
	if (head.alg !== 'ES256') {
		throw new Error(`alg is ${head.alg}, not ES256`);
	}
	const point = Buffer.from(match[2], 'base64url');
	if (point.length !== 65 || point[0] !== 4) {
		throw new Error('k is not an uncompressed P-256 point');
	}
	const key = createPublicKey({
		key: {
			kty: 'EC',
			crv: 'P-256',
			x: point.subarray(1, 33).toString('base64url'),
			y: point.subarray(33).toString('base64url')
		},
		format: 'jwk'
	});
	const valid = verify(
		'sha256',
		Buffer.from(`${jwtHeader}.${jwtPayload}`),
		{ key, dsaEncoding: 'ieee-p1363' },
		Buffer.from(signature, 'base64url')
	);
	if (!valid) {
		throw new Error('the VAPID signature does not verify');
	}
	const claims = JSON.parse(Buffer.from(jwtPayload, 'base64url').toString('utf8'));
	return { aud: claims.aud, exp: claims.exp, sub: claims.sub, publicKey: match[2] };
}
