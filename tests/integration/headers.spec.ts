// The security headers on every kind of route of the real built server (`node build`): pages,
// static and build files, the service worker, the manifest, the API, and errors. Static files
// are answered before SvelteKit's hooks run, so only the server itself can add them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRouteHeaders, type Answer } from '../support/route-headers.js';
import { startServer, type RunningServer } from './helpers';

const FRAME_ANCESTORS = "frame-ancestors 'none'";
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Checks the headers every answer must carry, whatever its route. */
function expectCommonHeaders(answer: Answer): void {
	const where = `${answer.route.kind} (${answer.route.path}, ${answer.status})`;
	const { headers } = answer;
	expect(headers['x-content-type-options'], where).toBe('nosniff');
	expect(headers['referrer-policy'], where).toBe('no-referrer');
	expect(headers['cross-origin-opener-policy'], where).toBe('same-origin');
	expect(headers['permissions-policy'], where).toMatch(/^camera=\(self\), microphone=\(\), /);
	const policy = headers['content-security-policy'];
	expect(policy, where).toContain(FRAME_ANCESTORS);
	expect(policy, where).not.toContain('unsafe-inline');
	if (answer.route.serves === 'api') {
		expect(policy, where).toBe(API_POLICY);
	} else {
		expect(policy, where).toMatch(/^default-src 'none'; /);
		expect(policy, where).toContain("connect-src 'self'");
		expect(policy, where).toContain("img-src 'self' blob: data:");
		expect(policy, where).toContain("worker-src 'self'");
	}
	if (answer.route.serves === 'page') {
		// The page's own policy, with the hash of its one inline script.
		expect(policy, where).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
	} else if (answer.route.serves === 'file') {
		expect(policy, where).toContain("script-src 'self';");
	}
}

describe('without ORIGIN', () => {
	let server: RunningServer;
	let answers: Answer[];

	beforeAll(async () => {
		server = await startServer();
		answers = await fetchRouteHeaders(server.url);
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('every kind of route sends the security headers, and no HSTS', () => {
		expect(answers.map((answer) => answer.status)).toEqual([
			200, 200, 404, 400, 200, 200, 404, 200, 200, 200, 404, 200, 200, 400, 404
		]);
		for (const answer of answers) {
			expectCommonHeaders(answer);
			expect(answer.headers['strict-transport-security'], answer.route.kind).toBeNull();
		}
	});

	it('a page revalidated (304) keeps its own policy: the 304 sends none to replace it', async () => {
		const first = await fetch(`${server.url}/`);
		const etag = first.headers.get('etag');
		expect(etag).toBeTruthy();
		const again = await fetch(`${server.url}/`, { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
		expect(again.headers.get('content-security-policy')).toBeNull();
		expect(again.headers.get('x-content-type-options')).toBe('nosniff');
	});
});

describe('with an https ORIGIN', () => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startServer({ ORIGIN: 'https://care.example-clinic.org' });
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('every kind of route also sends HSTS', async () => {
		const answers = await fetchRouteHeaders(server.url);
		for (const answer of answers) {
			expectCommonHeaders(answer);
			expect(answer.headers['strict-transport-security'], answer.route.kind).toBe(
				'max-age=31536000'
			);
		}
	});
});
