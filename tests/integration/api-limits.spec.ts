// The push API's edges against the real build: a frozen PostgreSQL, text no store can keep, and a
// client that subscribes in a loop. See docs/operations.md, "API limits".
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../support/postgres.js';
import {
	fakeBrowser,
	selfSignedCertificate,
	startMockPushService,
	startServer,
	type MockPushService,
	type RunningServer
} from './helpers';

/** The documented bound on every answer while the database is frozen or unreachable. */
const answerBoundMs = 3000;

const tls = selfSignedCertificate();
const keys = webpush.generateVAPIDKeys();
let database: Awaited<ReturnType<typeof startPostgres>>;
let mock: MockPushService;
let postgresServer: RunningServer;
let sqliteServer: RunningServer;

beforeAll(async () => {
	database = await startPostgres();
	mock = await startMockPushService(tls);
	const common = { PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1', NODE_EXTRA_CA_CERTS: tls.certPath };
	postgresServer = await startServer({
		...common,
		DATABASE_URL: database.url,
		VAPID_PUBLIC_KEY: keys.publicKey,
		VAPID_PRIVATE_KEY: keys.privateKey
	});
	sqliteServer = await startServer({ ...common, DISPATCHER: 'off' });
}, 60_000);

afterAll(async () => {
	await postgresServer?.stop();
	await sqliteServer?.stop();
	await mock?.close();
	database?.remove();
});

const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** A valid subscription body with `reminders`. */
// An endpoint of its own per body: a second POST of one endpoint renews the first subscription.
let endpoints = 0;
function body(
	reminders: { id: string; at: string }[],
	endpoint = `${mock.origin}/push/edge-${++endpoints}`
) {
	return { subscription: fakeBrowser().subscription(endpoint), reminders };
}

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	ms: number;
}

async function call(
	url: string,
	method: string,
	json?: unknown,
	headers: Record<string, string> = {}
): Promise<Answer> {
	const asked = Date.now();
	const response = await fetch(url, {
		method,
		headers: { 'content-type': 'application/json', ...headers },
		body: json === undefined ? undefined : JSON.stringify(json),
		signal: AbortSignal.timeout(30_000)
	});
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, ms: Date.now() - asked };
}

async function subscribe(server: RunningServer): Promise<{ id: string; token: string }> {
	const created = await call(
		`${server.url}/api/push/subscriptions`,
		'POST',
		body([{ id: 'r1', at: inHours(2) }])
	);
	expect(created.status).toBe(201);
	return JSON.parse(created.text) as { id: string; token: string };
}

describe('PostgreSQL frozen (SIGSTOP, not down)', () => {
	it('every route answers within 3 s: 503 with Retry-After where the store is needed, 200 elsewhere', async () => {
		const base = postgresServer.url;
		const { id, token } = await subscribe(postgresServer);
		// The pool now holds open connections: a frozen server accepts and answers nothing on them.
		expect((await call(`${base}/api/health`, 'GET')).status).toBe(200);

		database.pause();
		let answers: Record<string, Answer>;
		try {
			const auth = { authorization: `Bearer ${token}` };
			const requests = {
				health: call(`${base}/api/health`, 'GET'),
				'public-key': call(`${base}/api/push/public-key`, 'GET'),
				protocol: call(`${base}/api/protocol`, 'GET'),
				subscribe: call(
					`${base}/api/push/subscriptions`,
					'POST',
					body([{ id: 'r2', at: inHours(3) }])
				),
				update: call(
					`${base}/api/push/subscriptions/${id}`,
					'PUT',
					body([{ id: 'r3', at: inHours(4) }]),
					auth
				),
				delete: call(`${base}/api/push/subscriptions/${id}`, 'DELETE', undefined, auth)
			};
			answers = Object.fromEntries(
				await Promise.all(
					Object.entries(requests).map(async ([name, request]) => [name, await request] as const)
				)
			);
		} finally {
			database.resume();
		}
		console.info(
			`PostgreSQL frozen: ${Object.entries(answers)
				.map(([name, { status, ms }]) => `${name} ${status} in ${ms} ms`)
				.join(', ')}`
		);
		for (const name of ['health', 'subscribe', 'update', 'delete']) {
			const { status, headers, text } = answers[name]!;
			expect({ name, status, retryAfter: headers.get('retry-after') }).toEqual({
				name,
				status: 503,
				retryAfter: '5'
			});
			expect(JSON.parse(text)).toEqual({
				error: 'the reminder service is briefly unavailable; try again later'
			});
		}
		expect(answers['public-key']!.status).toBe(200);
		expect(answers.protocol!.status).toBe(200);
		for (const [name, { ms }] of Object.entries(answers)) {
			expect({ name, withinBound: ms < answerBoundMs }).toEqual({ name, withinBound: true });
		}

		// Thawed, it serves again: the connections given up were closed, not returned to the pool.
		for (let tries = 0; (await call(`${base}/api/health`, 'GET')).status !== 200; tries += 1) {
			expect(tries).toBeLessThan(50);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		expect((await call(`${base}/api/push/subscriptions`, 'POST', body([]))).status).toBe(201);
	}, 60_000);
});

describe('text no store can keep gets a 400 or 401 on both stores, never a 500', () => {
	const stores = () =>
		[
			['postgres', postgresServer],
			['sqlite', sqliteServer]
		] as const;

	const bodies: [string, () => unknown, string][] = [
		['a NUL in a reminder id', () => body([{ id: 'a\u0000b', at: inHours(1) }]), 'reminders.0.id'],
		[
			'two reminder ids that differ only in lone surrogates',
			() =>
				body([
					{ id: 'x\ud800', at: inHours(1) },
					{ id: 'x\udbff', at: inHours(2) }
				]),
			'reminders.0.id: must be well-formed Unicode'
		],
		[
			'a NUL in the endpoint path',
			() => body([], `${mock.origin}/push/a\u0000b`),
			'subscription.endpoint: must not contain control characters'
		],
		[
			'a reminder due in year 9999',
			() => body([{ id: 'r1', at: '9999-12-31T23:59:59Z' }]),
			'reminders.0.at: must be at most a year ahead'
		]
	];

	it.each(bodies)('POST and PUT with %s → 400 naming the field', async (_, make, message) => {
		for (const [name, server] of stores()) {
			const { id, token } = await subscribe(server);
			const posted = await call(`${server.url}/api/push/subscriptions`, 'POST', make());
			const put = await call(`${server.url}/api/push/subscriptions/${id}`, 'PUT', make(), {
				authorization: `Bearer ${token}`
			});
			for (const answer of [posted, put]) {
				expect({ name, status: answer.status }).toEqual({ name, status: 400 });
				expect(JSON.parse(answer.text).error).toContain(message);
			}
		}
	});

	it.each(['%00', 'a%00b', '%ED%A0%80', '%FF', '%0A'])(
		'PUT and DELETE /api/push/subscriptions/%s → 400 or 401, as JSON',
		async (id) => {
			for (const [name, server] of stores()) {
				const auth = { authorization: `Bearer ${'A'.repeat(43)}` };
				const put = await call(
					`${server.url}/api/push/subscriptions/${id}`,
					'PUT',
					body([{ id: 'r1', at: inHours(1) }]),
					auth
				);
				const deleted = await call(
					`${server.url}/api/push/subscriptions/${id}`,
					'DELETE',
					undefined,
					auth
				);
				for (const answer of [put, deleted]) {
					expect({ name, status: [400, 401].includes(answer.status) }).toEqual({
						name,
						status: true
					});
					expect(answer.text).not.toMatch(/\bat .*\.js|stack|SQL/i);
				}
			}
		}
	);

	it('no stack trace or SQL message reached any answer, and PostgreSQL logged no failed insert', () => {
		expect(postgresServer.output()).not.toMatch(/invalid byte sequence|duplicate key/);
	});
});

describe('rate limit per client address', () => {
	let limited: RunningServer;

	beforeAll(async () => {
		limited = await startServer({
			PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
			DISPATCHER: 'off',
			SUBSCRIBE_BURST: '5',
			SUBSCRIBE_RATE_PER_MINUTE: '6',
			API_BURST: '3',
			API_RATE_PER_MINUTE: '60',
			// As behind one reverse proxy that appends the client's address.
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1'
		});
	});

	afterAll(async () => {
		await limited?.stop();
	});

	const from = (address: string) => ({ 'x-forwarded-for': `198.51.100.250, ${address}` });

	it('lets a burst of subscriptions through, then answers 429 with Retry-After; others are not affected', async () => {
		const url = `${limited.url}/api/push/subscriptions`;
		const statuses: number[] = [];
		let refused: Answer | undefined;
		for (let i = 0; i < 8; i += 1) {
			const answer = await call(url, 'POST', body([]), from('203.0.113.7'));
			statuses.push(answer.status);
			refused ??= answer.status === 429 ? answer : undefined;
		}
		expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
		// 6 a minute: the next one in 10 s.
		expect(refused!.headers.get('retry-after')).toBe('10');
		expect(JSON.parse(refused!.text)).toEqual({
			error: 'too many requests from this address; try again later'
		});
		// Another client behind the same proxy, and an IPv6 client, have buckets of their own.
		expect((await call(url, 'POST', body([]), from('203.0.113.8'))).status).toBe(201);
		expect((await call(url, 'POST', body([]), from('2001:db8:5::1'))).status).toBe(201);
	});

	it('limits updates and deletions more loosely, by their own bucket', async () => {
		const created = await call(
			`${limited.url}/api/push/subscriptions`,
			'POST',
			body([]),
			from('203.0.113.9')
		);
		const { id, token } = JSON.parse(created.text) as { id: string; token: string };
		const url = `${limited.url}/api/push/subscriptions/${id}`;
		const auth = { authorization: `Bearer ${token}`, ...from('203.0.113.9') };
		const statuses: number[] = [];
		for (let i = 0; i < 4; i += 1) {
			statuses.push((await call(url, 'PUT', body([]), auth)).status);
		}
		expect(statuses).toEqual([200, 200, 200, 429]);
	});
});
