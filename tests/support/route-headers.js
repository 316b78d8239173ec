// One route of each kind the built server answers, and the security headers of its answer.
// Shared by the integration test (tests/integration/headers.spec.ts), which checks them, and
// `npm run bench:headers`, which prints them as a table.

/** The headers the table and the test look at, in this order. */
export const SECURITY_HEADERS = [
	'content-security-policy',
	'x-content-type-options',
	'referrer-policy',
	'permissions-policy',
	'cross-origin-opener-policy',
	'strict-transport-security'
];

/**
 * @typedef {object} Route
 * @property {string} kind what the route stands for
 * @property {string} path
 * @property {'page' | 'file' | 'api'} serves which policy it should get: a page's own (with its
 *   script's hash), the files' one, or the API's
 * @property {'GET' | 'POST'} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 */

/**
 * The routes, given an immutable file the page names (its file name changes with each build).
 * No page is prerendered: every page renders on the phone (`ssr = false`), from one shell.
 * @param {string} immutableFile e.g. `/_app/immutable/entry/start.Cb2s5lF2.js`
 * @returns {Route[]}
 */
export function routes(immutableFile) {
	return [
		{ kind: 'page (the shell)', path: '/', serves: 'page' },
		{ kind: 'page, deep link', path: '/diary/check-in', serves: 'page' },
		{ kind: 'page not found (404)', path: '/no-such-page', serves: 'page' },
		{ kind: 'malformed address (400 page)', path: '/%E0%A4%A', serves: 'page' },
		{ kind: 'static file', path: '/favicon.svg', serves: 'file' },
		{ kind: 'immutable build file', path: immutableFile, serves: 'file' },
		{ kind: 'build file not found (404)', path: '/_app/immutable/no-such.js', serves: 'file' },
		{ kind: 'service worker', path: '/service-worker.js', serves: 'file' },
		{
			kind: 'web app manifest (from the configuration)',
			path: '/manifest.webmanifest',
			serves: 'file'
		},
		{ kind: "clinic's colours (stylesheet)", path: '/clinic.css', serves: 'file' },
		{ kind: 'API, clinic logo (404 without one)', path: '/api/clinic/logo', serves: 'api' },
		{ kind: 'API, GET', path: '/api/protocol', serves: 'api' },
		{ kind: 'API, health', path: '/api/health', serves: 'api' },
		{
			kind: 'API, refused POST (400)',
			path: '/api/push/subscriptions',
			serves: 'api',
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{'
		},
		// No API route answers it: SvelteKit's 404 page does, with a page's policy.
		{ kind: 'API not found (404 page)', path: '/api/no-such-thing', serves: 'page' }
	];
}

/**
 * @typedef {object} Answer
 * @property {Route} route
 * @property {number} status
 * @property {Record<string, string | null>} headers the security headers, null when missing
 */

/**
 * Asks the server at `origin` for each route, once the page has named an immutable file.
 * @param {string} origin e.g. `http://127.0.0.1:4321`
 * @returns {Promise<Answer[]>}
 */
export async function fetchRouteHeaders(origin) {
	const shell = await fetch(`${origin}/`);
	const immutableFile = /<?(\/_app\/immutable\/[^>;"]+\.js)/.exec(shell.headers.get('link') ?? '');
	if (!immutableFile?.[1]) {
		throw new Error('the page names no immutable file in its Link header');
	}
	/** @type {Answer[]} */
	const answers = [];
	for (const route of routes(immutableFile[1])) {
		const response = await fetch(`${origin}${route.path}`, {
			method: route.method ?? 'GET',
			headers: route.headers,
			body: route.body,
			redirect: 'manual'
		});
		await response.arrayBuffer();
		answers.push({
			route,
			status: response.status,
			headers: Object.fromEntries(
				SECURITY_HEADERS.map((name) => [name, response.headers.get(name)])
			)
		});
	}
	return answers;
}
