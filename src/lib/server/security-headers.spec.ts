import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
	ANNOUNCER_STYLE_HASH,
	API_POLICY,
	FILE_POLICY,
	installSecurityHeaders,
	pageDirectives,
	securityHeaders,
	serializePolicy
} from './security-headers.js';

describe('securityHeaders', () => {
	it('gives files the pages’ policy, and the API a policy that loads nothing', () => {
		expect(securityHeaders('/service-worker.js', {})['content-security-policy']).toBe(FILE_POLICY);
		expect(securityHeaders('/api/protocol', {})['content-security-policy']).toBe(API_POLICY);
		expect(securityHeaders('/api', {})['content-security-policy']).toBe(API_POLICY);
		// Only the /api/ folder: a page whose name starts with "api" is a page.
		expect(securityHeaders('/apiary', {})['content-security-policy']).toBe(FILE_POLICY);
	});

	it('sends HSTS only when the public origin is https', () => {
		const hsts = (ORIGIN?: string) => securityHeaders('/', { ORIGIN })['strict-transport-security'];
		expect(hsts('https://care.example-clinic.org')).toBe('max-age=31536000');
		expect(hsts(' HTTPS://care.example-clinic.org')).toBe('max-age=31536000');
		expect(hsts('http://care.example-clinic.org')).toBeUndefined();
		expect(hsts(undefined)).toBeUndefined();
	});

	it('lets the page alone use the camera, and no one any other powerful feature', () => {
		const policy = securityHeaders('/', {})['permissions-policy']!.split(', ');
		expect(policy).toContain('camera=(self)');
		expect(policy.filter((feature) => !feature.endsWith('=()'))).toEqual(['camera=(self)']);
		// Web Share keeps its default (the app's own pages): the summary shares the plan.
		expect(policy.some((feature) => feature.startsWith('web-share'))).toBe(false);
	});
});

describe('the pages’ policy', () => {
	it('quotes keywords and hashes, and not schemes', () => {
		expect(serializePolicy({ 'img-src': ['self', 'blob:', 'data:'], 'object-src': ['none'] })).toBe(
			"img-src 'self' blob: data:; object-src 'none'"
		);
		expect(FILE_POLICY).toContain(`style-src-attr 'unsafe-hashes' '${ANNOUNCER_STYLE_HASH}'`);
	});

	it('allows no inline script or style, and no other site to frame the app', () => {
		expect(FILE_POLICY).not.toContain('unsafe-inline');
		expect(FILE_POLICY).not.toContain('unsafe-eval');
		expect(pageDirectives['frame-ancestors']).toEqual(['none']);
		expect(pageDirectives['connect-src']).toEqual(['self']);
	});

	it('allows the style attribute of SvelteKit’s route announcer, as SvelteKit writes it', () => {
		// If this fails, SvelteKit changed the announcer: every page would report a violation.
		const root = readFileSync('node_modules/@sveltejs/kit/src/core/sync/write_root.js', 'utf8');
		const style = /id="svelte-announcer"[^>]*\sstyle="([^"]+)"/.exec(root)?.[1];
		expect(style, 'the announcer in SvelteKit’s root component').toBeDefined();
		const hash = createHash('sha256').update(style!).digest('base64');
		expect(ANNOUNCER_STYLE_HASH).toBe(`sha256-${hash}`);
	});
});

describe('installSecurityHeaders', () => {
	let server: Server | undefined;

	afterEach(async () => {
		await new Promise((resolve) => server?.close(resolve));
		server = undefined;
	});

	/** A server answering as SvelteKit does for a page: its own policy, and a 304 without one. */
	async function start(): Promise<string> {
		server = createServer((incoming, response) => {
			if (incoming.headers['if-none-match'] === '"v1"') {
				response.writeHead(304, { etag: '"v1"' }).end();
				return;
			}
			response.setHeader('content-security-policy', "script-src 'self' 'sha256-page'");
			response.writeHead(200, { etag: '"v1"', 'content-type': 'text/html' }).end('<p>page</p>');
		});
		installSecurityHeaders(server, { ORIGIN: 'https://care.example-clinic.org' });
		await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	}

	function get(url: string, headers: Record<string, string> = {}) {
		return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
			request(url, { headers }, (response) => {
				response.resume();
				resolve({ status: response.statusCode!, headers: response.headers });
			})
				.on('error', reject)
				.end();
		});
	}

	it('adds the headers to every answer, and the answer’s own policy wins', async () => {
		const answer = await get(await start());
		expect(answer.headers).toMatchObject({
			'content-security-policy': "script-src 'self' 'sha256-page'",
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'no-referrer',
			'cross-origin-opener-policy': 'same-origin',
			'strict-transport-security': 'max-age=31536000'
		});
	});

	it('sends no policy with a 304, which would replace the page’s own in the browser', async () => {
		const answer = await get(await start(), { 'if-none-match': '"v1"' });
		expect(answer.status).toBe(304);
		expect(answer.headers['content-security-policy']).toBeUndefined();
		expect(answer.headers['x-content-type-options']).toBe('nosniff');
	});
});
