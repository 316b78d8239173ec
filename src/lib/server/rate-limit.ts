/**
 * A token bucket per client: each client may spend `burst` requests at once, and gets
 * `perMinute` back per minute, continuously. Kept in this process's memory; with N processes
 * behind a balancer a client may make up to N times as many requests.
 */

/** How fast a client may go. */
export interface RateLimit {
	/** Requests a client may make at once after a pause. */
	burst: number;
	/** Requests regained per minute. */
	perMinute: number;
}

/** The outcome of one request: allowed, or refused with the seconds until one would pass. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
	tokens: number;
	/** When `tokens` was last brought up to date (ms). */
	at: number;
}

/** Token buckets for many clients, at most `maxClients` of them in memory. */
export class RateLimiter {
	readonly #limit: RateLimit;
	readonly #maxClients: number;
	readonly #now: () => number;
	// Insertion order is use order (a bucket is re-inserted at each use), so the first entries are
	// the clients seen longest ago: the ones to forget when memory is full.
	readonly #buckets = new Map<string, Bucket>();

	/**
	 * @param limit burst and rate; both must be positive
	 * @param options `maxClients` bounds memory (an attacker with many addresses cannot grow it);
	 *   `now` is the clock, for tests
	 */
	constructor(limit: RateLimit, options: { maxClients?: number; now?: () => number } = {}) {
		if (!(limit.burst >= 1) || !(limit.perMinute > 0)) {
			throw new RangeError('a rate limit needs a burst of at least 1 and a positive rate');
		}
		this.#limit = limit;
		this.#maxClients = options.maxClients ?? 100_000;
		this.#now = options.now ?? Date.now;
	}

	/**
	 * Takes one token for `client`, when it has one.
	 * @param client the key, e.g. from `clientKey`
	 */
	take(client: string): RateDecision {
		const now = this.#now();
		const perMs = this.#limit.perMinute / 60_000;
		this.#forgetRefilled(now, perMs);
		const known = this.#buckets.get(client);
		const tokens = known
			? Math.min(this.#limit.burst, known.tokens + (now - known.at) * perMs)
			: this.#limit.burst;
		this.#buckets.delete(client);
		if (tokens >= 1) {
			this.#buckets.set(client, { tokens: tokens - 1, at: now });
			this.#forgetOldest();
			return { allowed: true };
		}
		this.#buckets.set(client, { tokens, at: now });
		return {
			allowed: false,
			retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000))
		};
	}

	/** Clients currently remembered. */
	get size(): number {
		return this.#buckets.size;
	}

	/**
	 * Forgets clients whose bucket is full again (they would start full anyway), least recently
	 * seen first, so a client address stays in memory only minutes after its last request
	 * (docs/privacy.md). Stops at the first one still refilling: amortised O(1) per request.
	 */
	#forgetRefilled(now: number, perMs: number): void {
		for (const [client, bucket] of this.#buckets) {
			if (bucket.tokens + (now - bucket.at) * perMs < this.#limit.burst) {
				return;
			}
			this.#buckets.delete(client);
		}
	}

	#forgetOldest(): void {
		// A forgotten client starts with a full bucket again: a bounded generosity, not a leak.
		for (const client of this.#buckets.keys()) {
			if (this.#buckets.size <= this.#maxClients) {
				return;
			}
			this.#buckets.delete(client);
		}
	}
}

/**
 * The key a client is limited by: its IPv4 address, or the /64 network of an IPv6 address (one
 * home or phone gets a whole /64, so single IPv6 addresses would cost an attacker nothing).
 * @param address from `event.getClientAddress()`
 */
export function clientKey(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) {
		return mapped[1] as string;
	}
	if (!address.includes(':')) {
		return address;
	}
	const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = address.includes('::')
		? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
		: left;
	return `${groups
		.slice(0, 4)
		.map((group) => group.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}
