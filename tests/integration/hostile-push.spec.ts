// The production server (`node build`) against hostile push endpoints on loopback, beside a
// healthy mock push service: an endless body, a trickling body, no answer, a TLS handshake that
// never completes. The server stays up, its memory stays bounded, and healthy reminders arrive
// on time: one slow endpoint never holds the others back.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	hostileKinds,
	startHostileEndpoint,
	type HostileEndpoint,
	type HostileKind
} from '../support/hostile-push.js';
import {
	decryptPushBody,
	fakeBrowser,
	selfSignedCertificate,
	startMockPushService,
	startServer,
	waitFor,
	type MockPushService,
	type RunningServer
} from './helpers';

const tls = selfSignedCertificate();
let push: MockPushService;
const hostile = new Map<HostileKind, HostileEndpoint>();

beforeAll(async () => {
	push = await startMockPushService(tls);
	for (const kind of hostileKinds) {
		hostile.set(kind, await startHostileEndpoint(kind, tls));
	}
});

afterAll(async () => {
	await push?.close();
	await Promise.all([...hostile.values()].map((endpoint) => endpoint.close()));
});

/** The environment of a server that may push to loopback (the mock and the hostile ones). */
const loopbackEnv = (extra: Record<string, string> = {}) => ({
	NODE_EXTRA_CA_CERTS: tls.certPath,
	PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
	VAPID_SUBJECT: 'mailto:integration@example-clinic.org',
	DISPATCH_INTERVAL_SECONDS: '1',
	...extra
});

async function subscribe(
	server: RunningServer,
	endpoint: string,
	reminders: { id: string; at: number }[]
) {
	const browser = fakeBrowser();
	const response = await fetch(`${server.url}/api/push/subscriptions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			subscription: browser.subscription(endpoint),
			reminders: reminders.map(({ id, at }) => ({ id, at: new Date(at).toISOString() }))
		})
	});
	expect(response.status).toBe(201);
	return browser;
}

/** Resident memory of a process, in bytes (Linux). */
function rss(pid: number): number {
	const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(line?.[1] ?? NaN) * 1024;
}

describe('hostile push endpoints beside healthy ones', () => {
	let server: RunningServer;

	beforeAll(async () => {
		// The default send deadline (10 s): healthy reminders must not wait for it.
		server = await startServer(loopbackEnv({ DISPATCH_RETRY_BASE_SECONDS: '1' }));
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('stays up with bounded memory, and healthy reminders arrive on time', async () => {
		const rssBefore = rss(server.pid);
		const start = Date.now() + 2000;
		// One reminder per hostile endpoint, due first, so they hold sends from the first round on.
		for (const [kind, endpoint] of hostile) {
			await subscribe(server, `${endpoint.origin}/${kind}`, [{ id: `hostile-${kind}`, at: start }]);
		}
		// Healthy reminders falling due every half second while the hostile sends are in flight.
		const due = new Map<string, number>();
		const browsers = new Map<string, ReturnType<typeof fakeBrowser>>();
		for (let patient = 0; patient < 16; patient += 1) {
			const at = start + 500 * patient;
			const path = `/healthy/${patient}`;
			due.set(path, at);
			browsers.set(
				path,
				await subscribe(server, `${push.origin}${path}`, [{ id: `h${patient}`, at }])
			);
		}

		await waitFor(
			'every healthy reminder',
			() => (push.received.length >= due.size ? true : undefined),
			30_000
		);
		// Past the first hostile deadline: any crash or leak would have happened by now.
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + 13_000 - Date.now())));

		const delays = push.received.map((request) => {
			expect(
				JSON.parse(decryptPushBody(request.body, browsers.get(request.path)!)).reminderId
			).toBe(`h${request.path.split('/').pop()}`);
			return request.receivedAt - (due.get(request.path) ?? NaN);
		});
		const rssAfter = rss(server.pid);
		console.info(
			`Hostile endpoints: healthy delay max ${Math.max(...delays)} ms over ${delays.length}; RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB; hostile connections ${[...hostile].map(([kind, e]) => `${kind} ${e.connections()}`).join(', ')}`
		);
		expect(push.received).toHaveLength(due.size);
		// Each within a dispatcher round or two of its due time, far below the 10 s send deadline
		// that the hostile sends take.
		expect(Math.max(...delays)).toBeLessThan(5000);
		expect(rssAfter - rssBefore).toBeLessThan(100 * 2 ** 20);
		expect(server.running()).toBe(true);
		expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
		expect(server.output()).not.toMatch(/RangeError|Uncaught|unhandled/i);
		// The endless body was cut short after a few KiB, not read for 13 s.
		expect(hostile.get('endless')!.connections()).toBeGreaterThanOrEqual(1);
	}, 60_000);
});

describe('a reminder whose endpoint misbehaves', () => {
	let server: RunningServer;

	beforeAll(async () => {
		// A short deadline and lease so five attempts fit in the test.
		server = await startServer(
			loopbackEnv({
				DISPATCH_SEND_DEADLINE_SECONDS: '1',
				DISPATCH_LEASE_SECONDS: '3',
				DISPATCH_RETRY_BASE_SECONDS: '0.2',
				DISPATCHER: 'on'
			})
		);
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('is retried with backoff and then failed when no answer comes; an answer cut short counts as sent', async () => {
		const at = Date.now();
		const stalledBefore = hostile.get('tls-stall')!.connections();
		for (const [kind, endpoint] of hostile) {
			await subscribe(server, `${endpoint.origin}/${kind}`, [{ id: `bad-${kind}`, at }]);
		}
		const db = new Database(join(server.dataDir, 'aftercare.sqlite'), { readonly: true });
		try {
			const rows = () =>
				db.prepare('SELECT reminder_id, status, attempts FROM reminders').all() as {
					reminder_id: string;
					status: string;
					attempts: number;
				}[];
			const finished = await waitFor(
				'every hostile reminder to be sent or failed',
				() => {
					const all = rows();
					return all.length === 4 && all.every((row) => ['sent', 'failed'].includes(row.status))
						? all
						: undefined;
				},
				45_000
			);
			const byId = Object.fromEntries(finished.map((row) => [row.reminder_id, row]));
			// Endless and trickling bodies: the status line came, so the push service accepted it.
			expect(byId['bad-endless']).toMatchObject({ status: 'sent', attempts: 1 });
			expect(byId['bad-trickle']).toMatchObject({ status: 'sent', attempts: 1 });
			for (const kind of ['silent', 'tls-stall']) {
				expect(byId[`bad-${kind}`]).toMatchObject({ status: 'failed', attempts: 5 });
			}
			expect(hostile.get('tls-stall')!.connections() - stalledBefore).toBe(5);
		} finally {
			db.close();
		}
		expect(server.running()).toBe(true);
		// The store keeps no error for a finished reminder (docs/privacy.md): the log says why.
		expect(server.output().match(/Push failed after 5 attempts: ETIMEDOUT/g)).toHaveLength(2);
	}, 60_000);
});
