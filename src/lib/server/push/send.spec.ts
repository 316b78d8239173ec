// The sender against real loopback HTTPS push services (the integration tests' mock): the VAPID
// header is signed once per push-service origin, verifies, and is renewed after half its life.
import { Agent } from 'node:https';
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
	decryptPushBody,
	fakeBrowser,
	selfSignedCertificate,
	startMockPushService,
	verifyVapid,
	type MockPushService
} from '../../../../tests/integration/helpers';
import { readFileSync } from 'node:fs';
import {
	hostileKinds,
	startHostileEndpoint,
	type HostileEndpoint,
	type HostileKind
} from '../../../../tests/support/hostile-push.js';
import { spawnMockPushService } from '../../../../tests/support/mock-push/index.js';
import { DeadlineError } from './bounded-https';
import { createWebPushSender, type PushRequest } from './send';
import { generateVapidKeys, type VapidDetails } from './vapid';

const tls = selfSignedCertificate();
const vapid: VapidDetails = {
	...generateVapidKeys(),
	subject: 'mailto:unit@example-clinic.org',
	source: 'generated',
	subjectConfigured: true
};
const browser = fakeBrowser();
const hour = 60 * 60 * 1000;
let serviceA: MockPushService;
let serviceB: MockPushService;
let agent: Agent;

beforeAll(async () => {
	serviceA = await startMockPushService(tls);
	serviceB = await startMockPushService(tls);
	agent = new Agent({ keepAlive: true, ca: tls.cert });
});

afterAll(async () => {
	agent.destroy();
	await serviceA.close();
	await serviceB.close();
});

afterEach(() => {
	serviceA.received.length = 0;
	serviceB.received.length = 0;
	vi.restoreAllMocks();
});

function request(
	service: Pick<MockPushService, 'origin'>,
	path: string,
	payload = 'hello'
): PushRequest {
	const { endpoint, keys } = browser.subscription(`${service.origin}${path}`);
	return { endpoint, keys, payload, ttlSeconds: 3600, topic: 'reminder', urgency: 'normal' };
}

/** A clock the test moves; starts at the real time (web-push checks exp against the real clock). */
function fakeClock() {
	let time = Date.now();
	return { now: () => time, advance: (ms: number) => (time += ms) };
}

function authorizations(service: MockPushService): string[] {
	return service.received.map((push) => String(push.headers.authorization));
}

describe('createWebPushSender', () => {
	it('signs one VAPID header per origin and sends every message with it', async () => {
		const sign = vi.spyOn(webpush, 'getVapidHeaders');
		const send = createWebPushSender(vapid, { agent });
		const before = Math.floor(Date.now() / 1000);
		for (const [index, path] of ['/sub/1', '/sub/2', '/sub/3'].entries()) {
			const response = await send(request(serviceA, path, `reminder ${index}`));
			expect(response).toEqual({ status: 201, retryAfter: null, body: '' });
		}

		expect(sign).toHaveBeenCalledTimes(1);
		expect(serviceA.received.map((push) => push.path)).toEqual(['/sub/1', '/sub/2', '/sub/3']);
		const [first, ...rest] = authorizations(serviceA);
		// ES256 signatures are randomized: equal headers mean the same token was reused.
		expect(rest).toEqual([first, first]);
		const claims = verifyVapid(first);
		expect(claims.aud).toBe(serviceA.origin);
		expect(claims.sub).toBe(vapid.subject);
		expect(claims.publicKey).toBe(vapid.publicKey);
		expect(claims.exp).toBeGreaterThanOrEqual(before + 12 * 3600);
		expect(claims.exp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 12 * 3600);
		expect(claims.exp).toBeLessThan(before + 24 * 3600);
		// The rest of the request is what web-push always sent.
		const push = serviceA.received[2];
		expect(push?.headers).toMatchObject({
			ttl: '3600',
			topic: 'reminder',
			urgency: 'normal',
			'content-encoding': 'aes128gcm'
		});
		expect(push && decryptPushBody(push.body, browser)).toBe('reminder 2');
	});

	it('gives each push-service origin its own audience', async () => {
		const send = createWebPushSender(vapid, { agent });
		await send(request(serviceA, '/a'));
		await send(request(serviceB, '/b'));
		await send(request(serviceA, '/a2'));

		const [a, a2] = authorizations(serviceA);
		const [b] = authorizations(serviceB);
		expect(a2).toBe(a);
		expect(b).not.toBe(a);
		expect(verifyVapid(a).aud).toBe(serviceA.origin);
		expect(verifyVapid(b).aud).toBe(serviceB.origin);
		expect(serviceA.origin).not.toBe(serviceB.origin);
	});

	it('renews the header once half its lifetime has passed', async () => {
		const clock = fakeClock();
		const send = createWebPushSender(vapid, { agent, now: clock.now });
		await send(request(serviceA, '/x'));
		clock.advance(6 * hour - 1000);
		await send(request(serviceA, '/x'));
		clock.advance(2000);
		await send(request(serviceA, '/x'));
		await send(request(serviceA, '/x'));

		const [first, beforeHalf, afterHalf, again] = authorizations(serviceA);
		expect(beforeHalf).toBe(first);
		expect(afterHalf).not.toBe(first);
		expect(again).toBe(afterHalf);
		const old = verifyVapid(first);
		const renewed = verifyVapid(afterHalf);
		expect(renewed.aud).toBe(serviceA.origin);
		expect(renewed.exp - old.exp).toBeGreaterThanOrEqual(6 * 3600);
		expect(renewed.exp - old.exp).toBeLessThanOrEqual(6 * 3600 + 2);
	});

	it('honours a shorter token lifetime', async () => {
		const clock = fakeClock();
		const send = createWebPushSender(vapid, { agent, now: clock.now, vapidTokenSeconds: 600 });
		await send(request(serviceA, '/x'));
		clock.advance(299_000);
		await send(request(serviceA, '/x'));
		clock.advance(2_000);
		await send(request(serviceA, '/x'));

		const [first, second, third] = authorizations(serviceA);
		expect(second).toBe(first);
		expect(third).not.toBe(first);
		const { exp } = verifyVapid(first);
		expect(exp).toBe(Math.floor((clock.now() - 301_000) / 1000) + 600);
	});

	it('keeps only the most recently used origins', async () => {
		const send = createWebPushSender(vapid, { agent, vapidCacheSize: 1 });
		await send(request(serviceA, '/1'));
		await send(request(serviceA, '/2'));
		await send(request(serviceB, '/3'));
		await send(request(serviceA, '/4'));

		const [a1, a2, a4] = authorizations(serviceA);
		expect(a2).toBe(a1);
		// B pushed A out of a one-entry cache.
		expect(a4).not.toBe(a1);
		expect(verifyVapid(a4).aud).toBe(serviceA.origin);
	});

	it('evicts the least recently used origin, not the oldest signed', async () => {
		const send = createWebPushSender(vapid, { agent, vapidCacheSize: 2 });
		const serviceC = await startMockPushService(tls);
		try {
			await send(request(serviceA, '/1')); // cache: A
			await send(request(serviceB, '/1')); // cache: A B
			await send(request(serviceA, '/2')); // cache: B A
			await send(request(serviceC, '/1')); // cache: A C (B evicted)
			await send(request(serviceA, '/3'));
			await send(request(serviceB, '/2'));

			const [a1, a2, a3] = authorizations(serviceA);
			const [b1, b2] = authorizations(serviceB);
			expect([a2, a3]).toEqual([a1, a1]);
			expect(b2).not.toBe(b1);
		} finally {
			await serviceC.close();
		}
	});

	it('signs a fresh header after the push service answers 401 or 403', async () => {
		const send = createWebPushSender(vapid, { agent });
		serviceA.script('/denied', [{ status: 403 }]);
		expect((await send(request(serviceA, '/denied'))).status).toBe(403);
		await send(request(serviceA, '/denied'));
		serviceA.script('/gone', [{ status: 410 }]);
		expect((await send(request(serviceA, '/gone'))).status).toBe(410);
		await send(request(serviceA, '/ok'));

		const [denied, retried, gone, ok] = authorizations(serviceA);
		expect(retried).not.toBe(denied);
		// Other failures keep the header.
		expect([gone, ok]).toEqual([retried, retried]);
	});

	it('reports Retry-After from a 429', async () => {
		const send = createWebPushSender(vapid, { agent });
		serviceA.script('/busy', [{ status: 429, headers: { 'Retry-After': '30' } }]);
		expect(await send(request(serviceA, '/busy'))).toEqual({
			status: 429,
			retryAfter: '30',
			body: ''
		});
	});

	it('rejects token lifetimes RFC 8292 does not allow', () => {
		expect(() => createWebPushSender(vapid, { vapidTokenSeconds: 24 * 3600 })).toThrow(RangeError);
		expect(() => createWebPushSender(vapid, { vapidTokenSeconds: 0 })).toThrow(RangeError);
		expect(() => createWebPushSender(vapid, { vapidCacheSize: 0 })).toThrow(RangeError);
	});
});

describe('createWebPushSender against hostile endpoints', () => {
	const hostile = new Map<HostileKind, HostileEndpoint>();

	beforeAll(async () => {
		for (const kind of hostileKinds) {
			hostile.set(kind, await startHostileEndpoint(kind, tls));
		}
	});

	afterAll(async () => {
		await Promise.all([...hostile.values()].map((endpoint) => endpoint.close()));
	});

	const deadlineMs = 1500;
	const endpoint = (kind: HostileKind) => hostile.get(kind) as HostileEndpoint;

	it('reads 4 KiB of an endless body, then drops the connection and uses the status', async () => {
		const send = createWebPushSender(vapid, { agent, deadlineMs });
		const before = process.memoryUsage().rss;
		const response = await send(request(endpoint('endless'), '/endless'));
		expect(response.status).toBe(201);
		expect(response.body).toMatch(/^a{200}…$/);
		// The server keeps writing for a moment into a closed connection: nothing is kept.
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
	});

	it('takes the status of an answer whose body trickles, at the deadline at the latest', async () => {
		const send = createWebPushSender(vapid, { agent, deadlineMs });
		expect(await send(request(endpoint('trickle'), '/trickle'))).toEqual({
			status: 201,
			retryAfter: null,
			body: ''
		});
	});

	it.each(['silent', 'tls-stall'] as const)(
		'gives up on an endpoint that never answers (%s) at the deadline',
		async (kind) => {
			const send = createWebPushSender(vapid, { agent, deadlineMs });
			const error = await send(request(endpoint(kind), `/${kind}`)).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(DeadlineError);
			expect((error as DeadlineError).code).toBe('ETIMEDOUT');
		}
	);

	it('an answer that came while the process was paused counts, even past the deadline', async () => {
		// The push service in another process, so it answers while this one is blocked.
		const other = await spawnMockPushService({ delayMs: 800 });
		const otherAgent = new Agent({ keepAlive: true, ca: readFileSync(other.certPath, 'utf8') });
		try {
			const send = createWebPushSender(vapid, { agent: otherAgent, deadlineMs: 1000 });
			// A warm connection, and the request on the wire before the pause (on a busy machine
			// the TLS handshake alone can outlast a fixed wait).
			await send(request(other, '/warm'));
			const sending = send(request(other, '/paused'));
			while ((await other.stats()).total < 2) {
				await new Promise((resolve) => setTimeout(resolve, 10));
			}
			// Paused (as by SIGSTOP) for 3 s: the answer arrives 800 ms after the request, the
			// deadline passes at 1 s; both are waiting when the process wakes.
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
			expect((await sending).status).toBe(201);
		} finally {
			otherAgent.destroy();
			await other.close();
		}
	});
});
