// The security headers of every response: one module for svelte.config.js (the pages' CSP, which
// SvelteKit completes with the hashes of its inline scripts) and for the built server
// (build/index.js, written by scripts/adapter.js), which sets the rest on every response before
// adapter-node answers it: its static files and service worker are served before SvelteKit's
// hooks ever run. Plain JavaScript with no imports: it is copied into build/ as it is.
// docs/security.md lists the headers and why each is there.

/** @typedef {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>} CspDirectives */

/**
 * The one inline style the app has: SvelteKit's own route announcer (a visually hidden live
 * region in its generated root component, https://github.com/sveltejs/kit/issues/11993). Allowed
 * by its hash alone; app.css hides the announcer too, for browsers without 'unsafe-hashes'.
 * security-headers.spec.ts fails when SvelteKit changes the style.
 */
export const ANNOUNCER_STYLE_HASH = 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo=';

/**
 * The pages' Content-Security-Policy, in `kit.csp.directives` form. Nothing is allowed unless named:
 * - scripts and styles only from the app's own files (SvelteKit adds the hash of its one inline
 *   bootstrap script; Svelte 5 sets styles through the CSSOM and animates with the Web Animations
 *   API, so no 'unsafe-inline' for styles either), and of style attributes only the announcer's;
 * - photos are shown from blob: URLs, and a canvas may hand out data: URLs;
 * - the service worker, the manifest and the API are the app's own;
 * - no plug-ins, no <base>, forms only to the app, and no other site may frame it.
 * @type {CspDirectives}
 */
export const pageDirectives = {
	'default-src': ['none'],
	'script-src': ['self'],
	'style-src': ['self'],
	'style-src-attr': ['unsafe-hashes', ANNOUNCER_STYLE_HASH],
	'img-src': ['self', 'blob:', 'data:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'form-action': ['self'],
	'frame-ancestors': ['none']
};

/** Keywords and hashes are quoted in a policy; schemes (`blob:`) and hosts are not. */
const QUOTED = /^(self|none|unsafe-[a-z-]+|strict-dynamic|(sha256|sha384|sha512|nonce)-.+)$/;

/**
 * Writes directives as a policy header.
 * @param {CspDirectives} directives
 */
export function serializePolicy(directives) {
	return Object.entries(directives)
		.map(([name, sources]) =>
			[
				name,
				.../** @type {string[]} */ (sources).map((source) =>
					QUOTED.test(source) ? `'${source}'` : source
				)
			].join(' ')
		)
		.join('; ');
}

/**
 * The policy of every response SvelteKit does not give its own (a page's, with its hashes,
 * replaces it): static files, and the service worker, whose script's policy is the worker's own,
 * so it must still reach the app's files and API.
 */
export const FILE_POLICY = serializePolicy(pageDirectives);

/** The API answers JSON: nothing in it may load anything, or be framed. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The camera for the app's own pages (the diary's photo capture); every other powerful feature
 * for no one. Web Share is left at its default (the app's own pages), and fullscreen too.
 * Only features Chromium knows: an unknown name is reported on the console of every page.
 */
export const PERMISSIONS_POLICY = [
	'camera=(self)',
	'microphone=()',
	'geolocation=()',
	'display-capture=()',
	'payment=()',
	'usb=()',
	'serial=()',
	'hid=()',
	'bluetooth=()',
	'midi=()',
	'accelerometer=()',
	'gyroscope=()',
	'magnetometer=()',
	'xr-spatial-tracking=()',
	'browsing-topics=()'
].join(', ');

/** A year; browsers remember that the site is HTTPS-only for that long after each visit. */
export const HSTS = 'max-age=31536000';

/**
 * The headers for a response to `pathname`.
 * @param {string} pathname the request's path
 * @param {{ ORIGIN?: string }} env HSTS is sent only when the public origin is https
 * @returns {Record<string, string>}
 */
export function securityHeaders(pathname, env) {
	/** @type {Record<string, string>} */
	const headers = {
		'content-security-policy':
			pathname === '/api' || pathname.startsWith('/api/') ? API_POLICY : FILE_POLICY,
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'no-referrer',
		'permissions-policy': PERMISSIONS_POLICY,
		'cross-origin-opener-policy': 'same-origin'
	};
	if (env.ORIGIN?.trim().toLowerCase().startsWith('https://')) {
		headers['strict-transport-security'] = HSTS;
	}
	return headers;
}

/**
 * Sets the headers on every response of `server`, before any other listener answers: SvelteKit's
 * own headers then win where both set one (a page's Content-Security-Policy, with its hashes).
 * @param {import('node:http').Server} server
 * @param {{ ORIGIN?: string }} env
 */
export function installSecurityHeaders(server, env) {
	server.prependListener('request', (request, response) => {
		// The path alone: a malformed address still gets the headers (SvelteKit answers it 400).
		const pathname = (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
		for (const [name, value] of Object.entries(securityHeaders(pathname, env))) {
			response.setHeader(name, value);
		}
		// A 304 updates the headers the browser keeps with its copy, and SvelteKit sends a page's
		// 304 without its policy: ours would replace the page's, and block its hashed script.
		const writeHead = response.writeHead;
		response.writeHead = /** @type {typeof writeHead} */ (
			(/** @type {unknown[]} */ ...args) => {
				if (args[0] === 304) {
					response.removeHeader('content-security-policy');
				}
				return Reflect.apply(writeHead, response, args);
			}
		);
	});
}
