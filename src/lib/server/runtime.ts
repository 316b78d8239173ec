import type { ServerConfig } from './config';
import { RateLimiter } from './rate-limit';
import type { VapidDetails } from './push/vapid';
import type { PushStore } from './store/types';

let current: ServerConfig | null = null;
let push: PushRuntime | null = null;

/** What the push routes need, set up once by the `init` hook. */
export interface PushRuntime {
	store: PushStore;
	vapid: VapidDetails;
	/** Checks a subscription endpoint against the SSRF rules and the allow-list. */
	checkEndpoint: (endpoint: string) => Promise<void>;
}

/** Set once by the `init` hook at start. */
export function setConfig(config: ServerConfig): void {
	current = config;
}

/** The configuration checked at start. */
export function config(): ServerConfig {
	if (!current) {
		throw new Error('The server configuration was read before the init hook ran');
	}
	return current;
}

/** Set once by the `init` hook at start. */
export function setPushRuntime(runtime: PushRuntime): void {
	push = runtime;
}

/** The push store, keys and endpoint check. */
export function pushRuntime(): PushRuntime {
	if (!push) {
		throw new Error('The push runtime was used before the init hook ran');
	}
	return push;
}

/** The API's rate limiters, one per limit that is on; `null` for a limit that is off. */
export interface ApiRateLimiters {
	subscribe: RateLimiter | null;
	update: RateLimiter | null;
}

let limiters: ApiRateLimiters | null = null;

/** This process's rate limiters, made from the configuration at first use. */
export function rateLimiters(): ApiRateLimiters {
	if (!limiters) {
		const { subscribe, update } = config().limits;
		limiters = {
			subscribe: subscribe && new RateLimiter(subscribe),
			update: update && new RateLimiter(update)
		};
	}
	return limiters;
}
