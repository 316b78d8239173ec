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

/**
 * The clinic's configuration as the server serves it, not part of the build: the manifest, the
 * accent's stylesheet and the logos (`/api/clinic/logo?v=<tag>`, one per protocol, kept under
 * their whole address when first shown). Fetched from the network first, so a clinic's new logo
 * or colour arrives at the next online start, and kept for offline starts.
 */
export const CLINIC_FILES = ['/manifest.webmanifest', '/clinic.css', '/api/clinic/logo'];

/** Stores this build's app shell, code and static files, and the clinic's manifest and colours. */
export async function precache(): Promise<void> {
	const cache = await caches.open(CACHE);
	await cache.addAll([...ASSETS, SHELL]);
	// Each on its own: the worker installs even when they cannot be fetched.
	await Promise.all(
		CLINIC_FILES.slice(0, 2).map(async (path) => {
			try {
				const response = await fetch(path);
				if (response.ok) {
					await cache.put(path, response);
				}
			} catch {
				// Offline while installing: the page's own requests will fill it in.
			}
		})
	);
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
 * - the clinic's files ({@link CLINIC_FILES}) from the network, else from the cache;
 * - other API calls (`/api/…`) always go to the network and are never cached: some hold
 *   per-user data;
 * - navigations get this build's shell, so a page always runs with the worker of its own build;
 * - this build's code and static files come from the cache.
 */
export function strategyFor(
	request: Request,
	origin: string
): 'shell' | 'asset' | 'clinic' | undefined {
	if (request.method !== 'GET') {
		return undefined;
	}
	const url = new URL(request.url);
	if (url.origin !== origin) {
		return undefined;
	}
	if (CLINIC_FILES.includes(url.pathname)) {
		return 'clinic';
	}
	if (url.pathname.startsWith('/api/')) {
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

/**
 * Answers from the network and keeps a successful answer under `key`; answers from the cache when
 * the network fails or the server cannot answer (5xx).
 */
export async function fromNetwork(request: Request, key: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	try {
		const response = await fetch(request);
		if (!(response instanceof Response) || response.status >= 500) {
			// The server is there but cannot answer (a proxy's 502 while it restarts).
			return (await cache.match(key)) ?? response;
		}
		// Only a real, successful response of our own may be kept.
		if (response.ok && response.type === 'basic') {
			await cache.put(key, response.clone());
		}
		return response;
	} catch (error) {
		const cached = await cache.match(key);
		if (cached) {
			return cached;
		}
		throw error;
	}
}
