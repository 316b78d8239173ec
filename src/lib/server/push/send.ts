import type { Agent } from 'node:https';
import webpush from 'web-push';
import { boundedRequest } from './bounded-https';
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

/**
 * Sends one push message; rejects only when no status line came (network, deadline, TLS). Once
 * the status line is in, the push service has answered: the send resolves with that status.
 */
export type SendPush = (request: PushRequest) => Promise<PushResponse>;

/** RFC 8292 caps a VAPID token's lifetime at 24 hours. */
const maxTokenSeconds = 24 * 60 * 60;

/** Options of {@link createWebPushSender}. */
export interface WebPushSenderOptions {
	/** Lets the caller vet the addresses a connection uses (and keeps connections alive). */
	agent?: Agent;
	/**
	 * The whole send (connect, TLS, status line and body) must fit in this many milliseconds, so a
	 * stalled or trickling push service can neither hold a reminder's lease nor a sending slot.
	 * Default 10 s.
	 */
	deadlineMs?: number;
	/** Bytes of an answer's body read (for the failure log); the rest is dropped. Default 4 KiB. */
	maxAnswerBytes?: number;
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
 * The real sender: `web-push` builds the request (RFC 8291 encryption, headers), signed with the
 * server's VAPID keys, and {@link boundedRequest} sends it. Not `webpush.sendNotification`: it
 * buffers the whole answer (an endless body ends the process) and its `timeout` is an idle
 * timeout (one byte every few seconds keeps a send alive for ever).
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
	const deadlineMs = options.deadlineMs ?? 10_000;
	const maxBodyBytes = options.maxAnswerBytes ?? 4096;
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
		const details = webpush.generateRequestDetails(
			{ endpoint: request.endpoint, keys: request.keys },
			request.payload,
			{
				TTL: request.ttlSeconds,
				topic: request.topic,
				urgency: request.urgency,
				// null (not undefined) so web-push signs nothing, even with global VAPID details set.
				vapidDetails: null as unknown as undefined,
				headers: { Authorization: authorizationFor(origin) }
			}
		);
		const answer = await boundedRequest({
			url: request.endpoint,
			method: details.method,
			headers: details.headers,
			body: details.body,
			deadlineMs,
			maxBodyBytes,
			...(options.agent ? { agent: options.agent } : {})
		});
		if (answer.status === 401 || answer.status === 403) {
			cache.delete(origin);
		}
		const retryAfter = answer.headers['retry-after'];
		return {
			status: answer.status,
			retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
			body: shorten(answer.body.toString('utf8'))
		};
	};
}

function shorten(text: string): string {
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
