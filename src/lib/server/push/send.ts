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

/**
 * The real sender: `web-push` over HTTPS, signed with the server's VAPID keys.
 * @param vapid keys and subject
 * @param options `agent` lets the caller vet the addresses a connection uses; `timeoutMs` bounds
 * each request so a stalled push service cannot hold a reminder's lease
 */
export function createWebPushSender(
	vapid: VapidDetails,
	options: { agent?: Agent; timeoutMs?: number } = {}
): SendPush {
	return async (request) => {
		try {
			const result = await webpush.sendNotification(
				{ endpoint: request.endpoint, keys: request.keys },
				request.payload,
				{
					TTL: request.ttlSeconds,
					topic: request.topic,
					urgency: request.urgency,
					vapidDetails: {
						subject: vapid.subject,
						publicKey: vapid.publicKey,
						privateKey: vapid.privateKey
					},
					timeout: options.timeoutMs ?? 15_000,
					...(options.agent ? { agent: options.agent } : {})
				}
			);
			return { status: result.statusCode, retryAfter: null, body: shorten(result.body) };
		} catch (error) {
			if (error instanceof webpush.WebPushError) {
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
