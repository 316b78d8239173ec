import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { clientKey, type RateLimiter } from '../rate-limit';
import { StoreUnavailableError, type PushStore, type StoredSubscription } from '../store/types';
import { EndpointLookupError, EndpointRefusedError } from './endpoint-safety';
import { textProblem, type SubscriptionBody } from '$lib/domain/push-contract';
import { parseSubscriptionBody } from './validation';

/** Largest request body accepted: 500 reminders with 128-character ids fit well below it. */
export const maxBodyBytes = 64 * 1024;

/** A request the API refuses, with the status and the message the client gets. */
export class ApiError extends Error {
	override name = 'ApiError';

	/**
	 * @param status the HTTP status
	 * @param message what is wrong, for the `error` field of the answer
	 * @param headers extra answer headers, e.g. Retry-After
	 */
	constructor(
		readonly status: number,
		message: string,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}
}

/**
 * Counts one request of this client against `limiter`.
 * @param limiter the route's limiter, or `null` when its limit is off
 * @param clientAddress `event.getClientAddress` (adapter-node honours ADDRESS_HEADER/XFF_DEPTH)
 * @throws ApiError 429 with Retry-After when the client is over its limit
 */
export function limitRate(limiter: RateLimiter | null, clientAddress: () => string): void {
	if (!limiter) {
		return;
	}
	let address: string;
	try {
		address = clientAddress();
	} catch {
		// ADDRESS_HEADER is set but this request lacks it (a request past the proxy): all such
		// requests share one bucket rather than go unlimited.
		address = 'unknown';
	}
	const decision = limiter.take(clientKey(address));
	if (!decision.allowed) {
		throw new ApiError(429, 'too many requests from this address; try again later', {
			'retry-after': String(decision.retryAfterSeconds)
		});
	}
}

/** The same answer for a wrong token and for an id that does not exist. */
const unauthorized = () =>
	new ApiError(401, 'authorization: a valid "Bearer <token>" for this subscription is required');

/**
 * Reads a JSON body of at most `maxBodyBytes`, checking the declared length first and then the
 * bytes actually received (a client may send more than it declared, or use chunked encoding).
 * @param request the incoming request
 * @throws ApiError 413 when too large, 400 when not UTF-8 JSON
 */
export async function readJsonBody(request: Request): Promise<unknown> {
	const declared = request.headers.get('content-length');
	if (declared !== null && Number(declared) > maxBodyBytes) {
		throw new ApiError(413, `body: must be at most ${maxBodyBytes} bytes`);
	}
	if (!request.body) {
		throw new ApiError(400, 'body: must be a JSON object');
	}
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) {
				break;
			}
			size += value.byteLength;
			// Past the limit, keep reading without keeping: cancelling the stream would make
			// adapter-node destroy the socket before the 413 is sent. The adapter's own
			// BODY_SIZE_LIMIT (512 KB by default) bounds how much is drained.
			if (size <= maxBodyBytes) {
				chunks.push(value);
			}
		}
	} catch (error) {
		if (size > maxBodyBytes || (error as { status?: number }).status === 413) {
			throw new ApiError(413, `body: must be at most ${maxBodyBytes} bytes`);
		}
		throw new ApiError(400, 'body: could not be read');
	}
	if (size > maxBodyBytes) {
		throw new ApiError(413, `body: must be at most ${maxBodyBytes} bytes`);
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		throw new ApiError(400, 'body: must be UTF-8 text');
	}
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw new ApiError(400, `body: not valid JSON (${(error as Error).message})`);
	}
}

/**
 * Reads and validates a subscription body.
 * @throws ApiError 400 naming the field, or 413
 */
export async function readSubscriptionBody(request: Request): Promise<SubscriptionBody> {
	const result = parseSubscriptionBody(await readJsonBody(request));
	if (!result.ok) {
		throw new ApiError(400, result.error);
	}
	return result.value;
}

/**
 * Checks the endpoint against the SSRF rules.
 * @param check the configured check
 * @param endpoint the subscription endpoint
 * @throws ApiError 400 when it is refused or does not resolve
 */
export async function vetEndpoint(
	check: (endpoint: string) => Promise<void>,
	endpoint: string
): Promise<void> {
	try {
		await check(endpoint);
	} catch (error) {
		if (error instanceof EndpointRefusedError || error instanceof EndpointLookupError) {
			throw new ApiError(400, `subscription.endpoint: ${error.message}`);
		}
		throw error;
	}
}

/**
 * SHA-256 of a token, hex: all the server keeps of it.
 * @param token the bearer token
 */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** A new subscription id and its bearer token (256 random bits). */
export function newCredentials(): { id: string; token: string } {
	return { id: randomUUID(), token: randomBytes(32).toString('base64url') };
}

// Compared against when the id is unknown, so both cases take the same work.
const absentHash = hashToken(randomBytes(32).toString('base64url'));

/**
 * The subscription `id` when `authorization` carries its token.
 * @param store the store
 * @param id the subscription id from the URL
 * @param authorization the Authorization header
 * @throws ApiError 401, the same whether the id exists or not
 */
export async function authorize(
	store: PushStore,
	id: string,
	authorization: string | null
): Promise<StoredSubscription> {
	const token = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(authorization?.trim() ?? '')?.[1];
	// An id no store could hold (NUL, lone surrogates) is unknown without asking the store.
	const storable = id.length <= 128 && textProblem(id) === null;
	const subscription = storable ? await store.getSubscription(id) : null;
	const expected = Buffer.from(subscription?.tokenHash ?? absentHash, 'hex');
	const given = Buffer.from(hashToken(token ?? ''), 'hex');
	const matches = expected.length === given.length && timingSafeEqual(expected, given);
	if (!subscription || !token || !matches) {
		throw unauthorized();
	}
	return subscription;
}

/** Seconds a client is asked to wait when the store is down. */
export const retryAfterSeconds = 5;

/**
 * The most time one request may spend waiting on the store, all its calls together. With what
 * the rest of a request takes it keeps every answer within the documented 3 s while the database
 * is frozen or unreachable (docs/operations.md, "API limits").
 */
export const storeBudgetMs = 2_000;

/**
 * The store as one request sees it: its calls together may take `budgetMs`; past that the
 * pending call rejects with `StoreUnavailableError` (the store's own timeouts then close its
 * connection), so a database frozen between two calls of a request cannot stretch the answer.
 * @param store the process's store
 * @param budgetMs the request's budget
 */
export function budgetedStore(store: PushStore, budgetMs: number = storeBudgetMs): PushStore {
	let spentMs = 0;
	return new Proxy(store, {
		get(target, property, receiver) {
			const value: unknown = Reflect.get(target, property, receiver);
			if (typeof value !== 'function') {
				return value;
			}
			return async (...args: unknown[]) => {
				const started = Date.now();
				let timer: ReturnType<typeof setTimeout> | undefined;
				const call = Promise.resolve(value.apply(target, args) as unknown);
				// The call may still fail after the budget ran out: nobody waits for it then.
				call.catch(() => {});
				const outOfTime = new Promise<never>((_, reject) => {
					timer = setTimeout(
						() =>
							reject(
								new StoreUnavailableError(
									`the ${target.name} store did not answer within ${budgetMs} ms`
								)
							),
						Math.max(0, budgetMs - spentMs)
					);
				});
				try {
					return await Promise.race([call, outOfTime]);
				} finally {
					clearTimeout(timer);
					spentMs += Date.now() - started;
				}
			};
		}
	});
}

/**
 * Runs a route body, turning an `ApiError` into its JSON answer, an unreachable store into
 * 503 with Retry-After (the phone keeps its reminders and tries again, nothing half-written),
 * and anything else into a bare 500 logged here: a client never sees a stack or a SQL message.
 * @param run the handler
 */
export async function answer(run: () => Promise<Response>): Promise<Response> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof ApiError) {
			return Response.json(
				{ error: error.message },
				{ status: error.status, headers: error.headers }
			);
		}
		if (error instanceof StoreUnavailableError) {
			console.warn(`API: ${error.message}`);
			return storeUnavailable();
		}
		console.error('API: unexpected error', error);
		return Response.json(
			{ error: 'the reminder service failed on this request; it has been logged' },
			{ status: 500, headers: { 'cache-control': 'no-store' } }
		);
	}
}

/** The 503 answer while the store cannot be reached. */
export function storeUnavailable(): Response {
	return Response.json(
		{ error: 'the reminder service is briefly unavailable; try again later' },
		{
			status: 503,
			headers: { 'retry-after': String(retryAfterSeconds), 'cache-control': 'no-store' }
		}
	);
}

/** Thrown to the client as 401 when a subscription vanished between check and update. */
export const subscriptionGone = unauthorized;

/** The endpoint is registered with another `auth` secret (see `PushStore.subscribe`). */
const endpointTaken = () =>
	new ApiError(
		409,
		'subscription.endpoint: already registered with other keys; unsubscribe in the browser and subscribe again for a new endpoint'
	);

/**
 * Subscribes idempotently: a repeated POST from the same browser (same endpoint and `auth`
 * secret, which proves it is that browser) renews its subscription with a new token (the old one
 * stops working) instead of adding a second one that would send every reminder twice.
 * @param store the store
 * @param body the validated body (endpoint already vetted)
 * @param now the current time
 * @returns 201 with `{ id, token }` when created, 200 when renewed
 * @throws ApiError 409 when the endpoint is registered with another `auth` secret
 */
export async function subscribe(
	store: PushStore,
	body: SubscriptionBody,
	now: number
): Promise<Response> {
	const { id, token } = newCredentials();
	const result = await store.subscribe(
		{
			id,
			tokenHash: hashToken(token),
			endpoint: body.subscription.endpoint,
			...body.subscription.keys
		},
		body.reminders,
		now
	);
	if (result.outcome === 'conflict') {
		throw endpointTaken();
	}
	return Response.json(
		{ id: result.id, token },
		{ status: result.outcome === 'created' ? 201 : 200, headers: { 'cache-control': 'no-store' } }
	);
}

/**
 * Replaces an authorized subscription's endpoint, keys and reminders; this also records that its
 * phone was seen now (every app start sends it).
 * @throws ApiError 401 when it vanished meanwhile, 409 when the new endpoint is another's
 */
export async function replace(
	store: PushStore,
	id: string,
	body: SubscriptionBody,
	now: number
): Promise<Response> {
	const result = await store.replaceSubscription(
		id,
		{ endpoint: body.subscription.endpoint, ...body.subscription.keys },
		body.reminders,
		now
	);
	if (result === 'missing') {
		throw subscriptionGone();
	}
	if (result === 'conflict') {
		throw endpointTaken();
	}
	return Response.json({ ok: true });
}
