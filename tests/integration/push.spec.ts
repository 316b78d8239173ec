// The real production server (`node build`) against a loopback HTTPS mock push service.
// `npm run test:integration` builds first. Deleted subscriptions answer 401 (not 404): the API
// never tells whether an id exists, so a phone that gets 401 simply subscribes again.
import Database from 'better-sqlite3';
import { request as httpRequest } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	decryptPushBody,
	fakeBrowser,
	selfSignedCertificate,
	startMockPushService,
	startServer,
	verifyVapid,
	waitFor,
	type MockPushService,
	type RunningServer
} from './helpers';

const subject = 'mailto:integration@example-clinic.org';
const tls = selfSignedCertificate();
let push: MockPushService;
let server: RunningServer;

beforeAll(async () => {
	push = await startMockPushService(tls);
	server = await startServer({
		NODE_EXTRA_CA_CERTS: tls.certPath,
		PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
		VAPID_SUBJECT: subject
	});
});

afterAll(async () => {
	await server?.stop();
	await push?.close();
});

/** Sends JSON (or raw text) to the server. */
async function call(
	base: string,
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {}
): Promise<{ status: number; json: Record<string, unknown> | null }> {
	const response = await fetch(`${base}${path}`, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await response.text();
	let json: Record<string, unknown> | null;
	try {
		json = text ? JSON.parse(text) : null;
	} catch {
		json = { raw: text };
	}
	return { status: response.status, json };
}

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const received = (path: string) => push.received.filter((request) => request.path === path);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function subscribe(path: string, reminders: { id: string; at: string }[]) {
	const browser = fakeBrowser();
	const { status, json } = await call(server.url, 'POST', '/api/push/subscriptions', {
		subscription: browser.subscription(`${push.origin}${path}`),
		reminders
	});
	expect(status).toBe(201);
	return { browser, id: String(json?.id), token: String(json?.token) };
}

describe('push server', () => {
	it('answers health and the public key, and says loudly that loopback endpoints are on', async () => {
		expect(await call(server.url, 'GET', '/api/health')).toEqual({
			status: 200,
			json: { ok: true, store: 'sqlite' }
		});
		const { status, json } = await call(server.url, 'GET', '/api/push/public-key');
		expect(status).toBe(200);
		const publicKey = String(json?.publicKey);
		expect(publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
		expect(server.output()).toContain('PUSH_ALLOW_LOOPBACK_ENDPOINTS is on');
		expect(server.output()).not.toContain('VAPID_SUBJECT is not set');
	});

	it('delivers a reminder once: VAPID-signed, encrypted, with TTL, Topic and Urgency', async () => {
		const { browser, id } = await subscribe('/push/once', [
			{ id: 's1:evening-cleanse:-3:evening', at: inSeconds(2) },
			{ id: 's1:later', at: inSeconds(3600) }
		]);
		expect(id).toMatch(/^[0-9a-f-]{36}$/);

		const [delivery] = await waitFor('the push', () =>
			received('/push/once').length > 0 ? received('/push/once') : undefined
		);
		const headers = delivery!.headers;
		expect(Number(headers.ttl)).toBeGreaterThan(0);
		expect(Number(headers.ttl)).toBe(6 * 3600);
		expect(headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
		expect(headers.urgency).toBe('high');
		expect(headers['content-encoding']).toBe('aes128gcm');

		const claims = verifyVapid(headers.authorization as string);
		const { json } = await call(server.url, 'GET', '/api/push/public-key');
		expect(claims.publicKey).toBe(json?.publicKey);
		expect(claims.aud).toBe(push.origin);
		expect(claims.sub).toBe(subject);
		const now = Date.now() / 1000;
		expect(claims.exp).toBeGreaterThan(now);
		expect(claims.exp).toBeLessThanOrEqual(now + 24 * 3600);

		expect(JSON.parse(decryptPushBody(delivery!.body, browser))).toEqual({
			v: 1,
			reminderId: 's1:evening-cleanse:-3:evening',
			title: 'Aftercare reminder',
			body: 'You have a care step due. Open the app to see it.'
		});

		// Two more dispatcher rounds: still exactly one push, and not the later reminder.
		await sleep(11_000);
		expect(received('/push/once')).toHaveLength(1);
	});

	it('retries a 503 after its Retry-After and then delivers exactly once', async () => {
		push.script('/push/busy', [{ status: 503, headers: { 'retry-after': '1' } }, { status: 201 }]);
		const { browser } = await subscribe('/push/busy', [{ id: 'busy-1', at: inSeconds(0) }]);
		await waitFor('the retry', () => (received('/push/busy').length >= 2 ? true : undefined));
		expect(received('/push/busy').map((request) => request.status)).toEqual([503, 201]);
		const bodies = received('/push/busy').map((request) =>
			JSON.parse(decryptPushBody(request.body, browser))
		);
		expect(bodies.map((body) => body.reminderId)).toEqual(['busy-1', 'busy-1']);
		await sleep(6_000);
		expect(received('/push/busy')).toHaveLength(2);
	});

	it('forgets a subscription the push service answers 410 for: its token then gets 401', async () => {
		push.script('/push/gone', [{ status: 410 }]);
		const { browser, id, token } = await subscribe('/push/gone', [
			{ id: 'gone-1', at: inSeconds(0) },
			{ id: 'gone-2', at: inSeconds(120) }
		]);
		await waitFor('the 410', () => (received('/push/gone').length > 0 ? true : undefined));
		const auth = { authorization: `Bearer ${token}` };
		const body = {
			subscription: browser.subscription(`${push.origin}/push/gone`),
			reminders: [{ id: 'gone-3', at: inSeconds(60) }]
		};
		// The subscription is deleted right after the 410 arrives.
		await waitFor('the 410 to remove the subscription', async () => {
			const { status } = await call(server.url, 'PUT', `/api/push/subscriptions/${id}`, body, auth);
			expect([200, 401]).toContain(status);
			return status === 401 ? true : undefined;
		});
		expect(received('/push/gone')).toHaveLength(1);
		// Its pending reminder went with it.
		const db = new Database(join(server.dataDir, 'aftercare.sqlite'), { readonly: true });
		try {
			const rows = db.prepare('SELECT * FROM reminders WHERE subscription_id = ?').all(id);
			expect(rows).toEqual([]);
			expect(db.prepare('SELECT id FROM subscriptions WHERE id = ?').get(id)).toBeUndefined();
		} finally {
			db.close();
		}
		expect(
			(await call(server.url, 'DELETE', `/api/push/subscriptions/${id}`, undefined, auth)).status
		).toBe(401);
	});

	it('replaces a subscription with its token, and deletes it with every pending reminder', async () => {
		const { browser, id, token } = await subscribe('/push/edit', [
			{ id: 'edit-1', at: inSeconds(600) }
		]);
		const auth = { authorization: `Bearer ${token}` };
		const body = {
			subscription: browser.subscription(`${push.origin}/push/edited`),
			reminders: [{ id: 'edit-2', at: inSeconds(2) }]
		};
		expect(await call(server.url, 'PUT', `/api/push/subscriptions/${id}`, body, auth)).toEqual({
			status: 200,
			json: { ok: true }
		});
		const [delivery] = await waitFor('the replaced reminder', () =>
			received('/push/edited').length > 0 ? received('/push/edited') : undefined
		);
		expect(JSON.parse(decryptPushBody(delivery!.body, browser)).reminderId).toBe('edit-2');

		const { id: otherId, token: otherToken } = await subscribe('/push/deleted', [
			{ id: 'del-1', at: inSeconds(3) }
		]);
		const deleted = await call(
			server.url,
			'DELETE',
			`/api/push/subscriptions/${otherId}`,
			undefined,
			{
				authorization: `Bearer ${otherToken}`
			}
		);
		expect(deleted.status).toBe(204);
		await sleep(9_000);
		expect(received('/push/deleted')).toHaveLength(0);
	});

	it('answers a repeated POST from the same browser with its subscription and a new token, so every reminder comes once', async () => {
		const browser = fakeBrowser();
		const body = {
			subscription: browser.subscription(`${push.origin}/push/again`),
			reminders: [{ id: 'again-1', at: inSeconds(3) }]
		};
		// The first answer is lost on the way (the phone never reads it); the phone posts again.
		const first = await call(server.url, 'POST', '/api/push/subscriptions', body);
		const second = await call(server.url, 'POST', '/api/push/subscriptions', body);
		expect([first.status, second.status]).toEqual([201, 200]);
		expect(second.json?.id).toBe(first.json?.id);
		expect(second.json?.token).not.toBe(first.json?.token);
		const put = (token: unknown) =>
			call(server.url, 'PUT', `/api/push/subscriptions/${String(first.json?.id)}`, body, {
				authorization: `Bearer ${String(token)}`
			});
		expect((await put(first.json?.token)).status).toBe(401);
		expect((await put(second.json?.token)).status).toBe(200);

		// Someone who knows only the endpoint cannot take it over.
		const other = fakeBrowser();
		const taken = await call(server.url, 'POST', '/api/push/subscriptions', {
			...body,
			subscription: other.subscription(`${push.origin}/push/again`)
		});
		expect(taken.status).toBe(409);

		await waitFor('the push', () => (received('/push/again').length > 0 ? true : undefined));
		await sleep(7_000);
		expect(received('/push/again')).toHaveLength(1);
		const [delivery] = received('/push/again');
		expect(JSON.parse(decryptPushBody(delivery!.body, browser)).reminderId).toBe('again-1');
	});

	it('answers 401, the same way, for a wrong or missing token and for an unknown id', async () => {
		const { browser, id, token } = await subscribe('/push/auth', []);
		const body = { subscription: browser.subscription(`${push.origin}/push/auth`), reminders: [] };
		const answers = await Promise.all([
			call(server.url, 'PUT', `/api/push/subscriptions/${id}`, body),
			call(server.url, 'PUT', `/api/push/subscriptions/${id}`, body, {
				authorization: 'Bearer wrong'
			}),
			call(server.url, 'PUT', `/api/push/subscriptions/${id}`, body, { authorization: token }),
			call(server.url, 'PUT', '/api/push/subscriptions/no-such-id', body, {
				authorization: `Bearer ${token}`
			}),
			call(server.url, 'DELETE', `/api/push/subscriptions/${id}`, undefined, {
				authorization: 'Bearer wrong'
			}),
			call(server.url, 'DELETE', '/api/push/subscriptions/no-such-id', undefined, {
				authorization: `Bearer ${token}`
			})
		]);
		expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
		expect(new Set(answers.map((a) => JSON.stringify(a.json))).size).toBe(1);
		expect(answers[0]?.json?.error).toEqual(expect.any(String));
	});

	describe('bad input gets its status, never a 500', () => {
		const browser = fakeBrowser();
		const valid = () => ({
			subscription: browser.subscription(`${push.origin}/push/bad`),
			reminders: [{ id: 'r1', at: inSeconds(3600) }]
		});
		type Body = ReturnType<typeof valid>;
		const cases: [string, (body: Body) => unknown, string][] = [
			['malformed JSON', () => '{"subscription":', 'body: not valid JSON'],
			['an array', () => [], 'body:'],
			['no subscription', ({ reminders }) => ({ reminders }), 'subscription: is missing'],
			['no reminders', ({ subscription }) => ({ subscription }), 'reminders: is missing'],
			[
				'no endpoint',
				(b) => ({ ...b, subscription: { keys: b.subscription.keys } }),
				'subscription.endpoint'
			],
			[
				'p256dh of 64 bytes',
				(b) => ({
					...b,
					subscription: {
						...b.subscription,
						keys: { ...b.subscription.keys, p256dh: Buffer.alloc(64, 4).toString('base64url') }
					}
				}),
				'subscription.keys.p256dh'
			],
			[
				'a compressed p256dh',
				(b) => ({
					...b,
					subscription: {
						...b.subscription,
						keys: {
							...b.subscription.keys,
							p256dh: Buffer.concat([Buffer.from([3]), Buffer.alloc(64, 1)]).toString('base64url')
						}
					}
				}),
				'subscription.keys.p256dh'
			],
			[
				'auth of 8 bytes',
				(b) => ({
					...b,
					subscription: {
						...b.subscription,
						keys: { ...b.subscription.keys, auth: Buffer.alloc(8).toString('base64url') }
					}
				}),
				'subscription.keys.auth'
			],
			[
				'a local time',
				(b) => ({ ...b, reminders: [{ id: 'r1', at: '2026-05-04T19:00:00' }] }),
				'reminders.0.at'
			],
			[
				'a reminder id over 128 characters',
				(b) => ({ ...b, reminders: [{ id: 'x'.repeat(129), at: inSeconds(60) }] }),
				'reminders.0.id'
			],
			[
				'501 reminders',
				(b) => ({
					...b,
					reminders: Array.from({ length: 501 }, (_, i) => ({ id: `r${i}`, at: inSeconds(60) }))
				}),
				'reminders: must hold at most 500'
			],
			[
				'a repeated reminder id',
				(b) => ({
					...b,
					reminders: [
						{ id: 'r1', at: inSeconds(60) },
						{ id: 'r1', at: inSeconds(120) }
					]
				}),
				'reminders: must not repeat a reminder id'
			],
			[
				'an http endpoint',
				(b) => ({
					...b,
					subscription: { ...b.subscription, endpoint: 'http://127.0.0.1:9/push' }
				}),
				'subscription.endpoint: must be an https: URL'
			],
			[
				'a private-address endpoint, even with loopback allowed',
				(b) => ({
					...b,
					subscription: { ...b.subscription, endpoint: 'https://10.1.2.3/push' }
				}),
				'subscription.endpoint: host 10.1.2.3 is not allowed: 10.1.2.3 is a private address'
			]
		];

		it.each(cases)('POST with %s → 400', async (_, make, message) => {
			const { status, json } = await call(
				server.url,
				'POST',
				'/api/push/subscriptions',
				make(valid())
			);
			expect(status).toBe(400);
			expect(String(json?.error)).toContain(message);
		});

		// One endpoint per subscription: each browser here has its own keys.
		let bad = 0;

		it.each(cases)('PUT with %s → 400', async (_, make, message) => {
			const { id, token } = await subscribe(`/push/bad/${(bad += 1)}`, []);
			const { status, json } = await call(
				server.url,
				'PUT',
				`/api/push/subscriptions/${id}`,
				make(valid()),
				{ authorization: `Bearer ${token}` }
			);
			expect(status).toBe(400);
			expect(String(json?.error)).toContain(message);
		});

		it('refuses a body over 64 KiB with 413, declared or streamed', async () => {
			const big = JSON.stringify({ ...valid(), padding: 'x'.repeat(70 * 1024) });
			const declared = await call(server.url, 'POST', '/api/push/subscriptions', big);
			expect(declared.status).toBe(413);

			const streamed = await new Promise<number>((resolve, reject) => {
				const request = httpRequest(`${server.url}/api/push/subscriptions`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }
				});
				request.on('response', (response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				});
				request.on('error', reject);
				for (let i = 0; i < 10; i += 1) {
					request.write(big.slice(i * 7300, (i + 1) * 7300));
				}
				request.end();
			});
			expect(streamed).toBe(413);

			const { id, token } = await subscribe(`/push/bad/${(bad += 1)}`, []);
			const put = await call(server.url, 'PUT', `/api/push/subscriptions/${id}`, big, {
				authorization: `Bearer ${token}`
			});
			expect(put.status).toBe(413);
		});
	});
});

describe('a server without the loopback test switch', () => {
	let strict: RunningServer;

	beforeAll(async () => {
		strict = await startServer({ DISPATCHER: 'off' });
	});

	afterAll(async () => {
		await strict?.stop();
	});

	it('warns that Apple rejects pushes until VAPID_SUBJECT is set', async () => {
		// stderr may arrive after stdout's "Listening on".
		await waitFor('the warning', () =>
			strict.output().includes('VAPID_SUBJECT is not set') ? true : undefined
		);
		expect(strict.output()).toContain('Apple');
		expect(strict.output()).not.toContain('PUSH_ALLOW_LOOPBACK_ENDPOINTS is on');
	});

	it.each([
		['http://push.example.com/x', 'must be an https: URL'],
		['https://127.0.0.1:8443/push', 'loopback'],
		['https://[::1]/push', 'loopback'],
		['https://[::ffff:127.0.0.1]/push', 'loopback'],
		['https://localhost/push', 'not a known push service (PUSH_ENDPOINT_ALLOWLIST)'],
		['https://push.example.com/push', 'not a known push service (PUSH_ENDPOINT_ALLOWLIST)'],
		['https://8.8.8.8:22/push', 'must use port 443, not 22'],
		['https://fcm.googleapis.com:8443/fcm/send/x', 'must use port 443, not 8443'],
		['https://10.0.0.1/push', 'private'],
		['https://192.168.1.20/push', 'private'],
		['https://169.254.169.254/latest', 'link-local'],
		['https://[fd00::1]/push', 'unique-local'],
		['https://100.64.0.1/push', 'CGNAT']
	])('refuses the endpoint %s with 400', async (endpoint, reason) => {
		const { status, json } = await call(strict.url, 'POST', '/api/push/subscriptions', {
			subscription: { ...fakeBrowser().subscription(endpoint) },
			reminders: []
		});
		expect(status).toBe(400);
		expect(String(json?.error)).toMatch(/^subscription\.endpoint: /);
		expect(String(json?.error)).toContain(reason);
	});
});

describe('VAPID keys', () => {
	it('are generated once into DATA_DIR (0600) and kept across a restart after SIGTERM', async () => {
		// With the dispatcher running: SIGTERM still ends the process cleanly and promptly.
		const first = await startServer();
		const before = await call(first.url, 'GET', '/api/push/public-key');
		const stopping = Date.now();
		expect(await first.stop()).toBe(0);
		expect(Date.now() - stopping).toBeLessThan(10_000);

		const file = join(first.dataDir, 'vapid.json');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(JSON.parse(readFileSync(file, 'utf8')).publicKey).toBe(before.json?.publicKey);

		const second = await startServer({ DISPATCHER: 'off', DATA_DIR: first.dataDir });
		try {
			const after = await call(second.url, 'GET', '/api/push/public-key');
			expect(after.json?.publicKey).toBe(before.json?.publicKey);
		} finally {
			await second.stop();
		}
	});

	it('stops the server with a clear message when the database cannot be opened', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-baddb-'));
		// A folder where the database file should be.
		mkdirSync(join(dataDir, 'aftercare.sqlite'));
		await expect(startServer({ DATA_DIR: dataDir, DISPATCHER: 'off' })).rejects.toThrow(
			/exited with 1:[\s\S]*cannot start[\s\S]*DATA_DIR: cannot open/
		);
	});

	it('stops the server with a clear message when a push variable is invalid', async () => {
		await expect(
			startServer({ VAPID_SUBJECT: 'admin@example.org', DISPATCHER: 'maybe' })
		).rejects.toThrow(
			/exited with 1:[\s\S]*cannot start[\s\S]*VAPID_SUBJECT: must be a mailto:[\s\S]*DISPATCHER: must be on or off/
		);
	});
});
