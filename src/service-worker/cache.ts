/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

/** One cache per build: a new build gets a new cache, and the old one goes when it activates. */
export const CACHE = `aftercare-${version}`;

/**
 * The app shell. Pages render on the phone (`ssr = false`), so the server's page for "/" can
 * answer every navigation: the router reads the address and shows the right screen.
 */
export const SHELL = '/';

const ASSETS = new Set([...build, ...files]);

/** Stores this build's app shell, code and static files. */
export async function precache(): Promise<void> {
	const cache = await caches.open(CACHE);
	await cache.addAll([...ASSETS, SHELL]);
}

/** Deletes the caches of earlier builds. */
export async function deleteOldCaches(): Promise<void> {
	for (const key of await caches.keys()) {
		if (key !== CACHE) {
			await caches.delete(key);
		}
	}
}

/**
 * How a request is answered, or undefined to leave it to the network untouched:
 * - API calls (`/api/…`) always go to the network and are never cached: some hold per-user data;
 * - navigations get this build's shell, so a page always runs with the worker of its own build;
 * - this build's code and static files come from the cache.
 */
export function strategyFor(request: Request, origin: string): 'shell' | 'asset' | undefined {
	if (request.method !== 'GET') {
		return undefined;
	}
	const url = new URL(request.url);
	if (url.origin !== origin || url.pathname.startsWith('/api/')) {
		return undefined;
	}
	if (request.mode === 'navigate') {
		return 'shell';
	}
	return ASSETS.has(url.pathname) ? 'asset' : undefined;
}

/** Answers from the cache, falling back to the network should the cache miss. */
export async function fromCache(request: Request, key: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	const cached = await cache.match(key);
	if (cached) {
		return cached;
	}
	const response = await fetch(request);
	// Only a real, successful response of our own may be kept.
	if (response instanceof Response && response.ok && response.type === 'basic') {
		await cache.put(key, response.clone());
	}
	return response;
}
