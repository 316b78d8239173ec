import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { VapidDetails } from './vapid';

/** One push message to one subscription. */
export interface PushRequest {
	endpoint: string;
	keys: { p256dh: string; auth: string };
	/** The plaintext payload (encrypted by `web-push`, RFC 8291 aes128gcm). */
	payload: string;
	/** How long the push service may hold the message for an offline device, in seconds (> 0). */
	ttlSeconds: number;
	/** Replaces an undelivered message with the same topic (≤ 32 base64url characters). */
	topic: string;
	urgency: 'very-low' | 'low' | 'normal' | 'high';
}

/** What the push service answered. Network failures are thrown instead. */
export interface PushResponse {
	status: number;
	/** The `Retry-After` header, if any (seconds or an HTTP date). */
	retryAfter: string | null;
	/** The response body, shortened, for the failure log. */
	body: string;
}

/** Sends one push message; rejects only when no HTTP answer came (network, timeout, TLS). */
export type SendPush = (request: PushRequest) => Promise<PushResponse>;

/**
 * A new VAPID key pair, base64url encoded.
 */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
	return webpush.generateVAPIDKeys();
}

/** RFC 8292 caps a VAPID token's lifetime at 24 hours. */
const maxTokenSeconds = 24 * 60 * 60;

/** Options of {@link createWebPushSender}. */
export interface WebPushSenderOptions {
	/** Lets the caller vet the addresses a connection uses (and keeps connections alive). */
	agent?: Agent;
	/** Bounds each request so a stalled push service cannot hold a reminder's lease. */
	timeoutMs?: number;
	/** Lifetime of a VAPID token in seconds (default 12 h, below RFC 8292's 24 h cap). */
	vapidTokenSeconds?: number;
	/** How many push-service origins keep a cached VAPID header (default 2,000; least recently used go). */
	vapidCacheSize?: number;
	/**
	 * The clock, in milliseconds since the epoch (tests pass a fake one). It must stay within a few
	 * hours of the real time: web-push refuses a token whose `exp` is 24 h or more after `Date.now()`.
	 */
	now?: () => number;
}

/**
 * The real sender: `web-push` over HTTPS, signed with the server's VAPID keys.
 *
 * Signing a VAPID token (parsing the PEM key, one ECDSA signature) costs about as much as the rest
 * of a keep-alive send, so the `Authorization` header is made once per push-service origin and
 * reused until half its lifetime has passed; it then still has hours left, so clock skew or a
 * slow queue never makes a push service see an expired token. A 401 or 403 drops that origin's
 * header, so the next message signs a fresh one.
 * @param vapid keys and subject
 * @param options see {@link WebPushSenderOptions}
 */
export function createWebPushSender(
	vapid: VapidDetails,
	options: WebPushSenderOptions = {}
): SendPush {
	const tokenSeconds = options.vapidTokenSeconds ?? 12 * 60 * 60;
	if (!Number.isInteger(tokenSeconds) || tokenSeconds < 60 || tokenSeconds >= maxTokenSeconds) {
		throw new RangeError(`vapidTokenSeconds must be an integer in [60, ${maxTokenSeconds})`);
	}
	const cacheSize = options.vapidCacheSize ?? 2_000;
	if (!Number.isInteger(cacheSize) || cacheSize < 1) {
		throw new RangeError('vapidCacheSize must be a positive integer');
	}
	const now = options.now ?? Date.now;
	const timeout = options.timeoutMs ?? 15_000;
	/** Origin → header; a Map keeps insertion order, so the first key is the least recently used. */
	const cache = new Map<string, { authorization: string; renewAt: number }>();

	const authorizationFor = (origin: string): string => {
		const time = now();
		const cached = cache.get(origin);
		if (cached && time < cached.renewAt) {
			// Move to the end: most recently used.
			cache.delete(origin);
			cache.set(origin, cached);
			return cached.authorization;
		}
		const { Authorization: authorization } = webpush.getVapidHeaders(
			origin,
			vapid.subject,
			vapid.publicKey,
			vapid.privateKey,
			'aes128gcm',
			Math.floor(time / 1000) + tokenSeconds
		);
		cache.delete(origin);
		cache.set(origin, { authorization, renewAt: time + (tokenSeconds * 1000) / 2 });
		while (cache.size > cacheSize) {
			const oldest = cache.keys().next().value;
			if (oldest === undefined) {
				break;
			}
			cache.delete(oldest);
		}
		return authorization;
	};

	return async (request) => {
		// The audience is the push service's origin (RFC 8292 section 2), as web-push computes it.
		const origin = new URL(request.endpoint).origin;
		try {
			const result = await webpush.sendNotification(
				{ endpoint: request.endpoint, keys: request.keys },
				request.payload,
				{
					TTL: request.ttlSeconds,
					topic: request.topic,
					urgency: request.urgency,
					// null (not undefined) so web-push signs nothing, even with global VAPID details set.
					vapidDetails: null as unknown as undefined,
					headers: { Authorization: authorizationFor(origin) },
					timeout,
					...(options.agent ? { agent: options.agent } : {})
				}
			);
			return { status: result.statusCode, retryAfter: null, body: shorten(result.body) };
		} catch (error) {
			if (error instanceof webpush.WebPushError) {
				if (error.statusCode === 401 || error.statusCode === 403) {
					cache.delete(origin);
				}
				const header = error.headers['retry-after'];
				return {
					status: error.statusCode,
					retryAfter: typeof header === 'string' ? header : null,
					body: shorten(error.body)
				};
			}
			throw error;
		}
	};
}

function shorten(body: unknown): string {
	const text = typeof body === 'string' ? body : '';
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
