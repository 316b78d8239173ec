// RFC 8292 (VAPID) on the push service's side: checks the sender's Authorization header.
import { createPublicKey, verify } from 'node:crypto';

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

/**
 * A checker for one push service's origin, as a real push service checks a sender: signature,
 * `aud` equal to the origin, `exp` within the next 24 hours. Each distinct header is checked once.
 * @param {() => string} originOf the service's origin (known once it listens)
 * @returns {(header: string | undefined) => string | null} why a header is refused, or null
 */
export function vapidChecker(originOf) {
	/** Authorization header → null when valid, else the reason. */
	const checked = new Map();
	return (header) => {
		const key = header ?? '';
		const known = checked.get(key);
		if (known !== undefined) {
			return known;
		}
		let reason = null;
		try {
			const claims = verifyVapid(header);
			const origin = originOf();
			const now = Date.now() / 1000;
			if (claims.aud !== origin) {
				reason = `aud ${claims.aud} is not ${origin}`;
			} else if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) {
				reason = `exp ${claims.exp} is not within the next 24 hours`;
			}
		} catch (error) {
			reason = /** @type {Error} */ (error).message;
		}
		// Bounded: a naive sender signs a new token per message.
		if (checked.size >= 100_000) {
			checked.clear();
		}
		checked.set(key, reason);
		return reason;
	};
}
