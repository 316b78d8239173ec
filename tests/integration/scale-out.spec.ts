// Several dispatcher processes over one PostgreSQL, and the faults a clinic group will meet: a
// process killed mid-batch, the database restarting, a slow or refusing push service. Every
// process is real (`build/dispatcher/index.js`, `node build`), the database is a private
// PostgreSQL server these tests stop and start, and pushes go to a loopback HTTPS mock push
// service that decrypts every message to see which reminder arrived.
import webpush from 'web-push';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../support/postgres.js';
import { PostgresStore } from '../../src/lib/server/store/postgres-store';
import {
	decryptPushBody,
	fakeBrowser,
	selfSignedCertificate,
	startDispatcherProcess,
	startMockPushService,
	startServer,
	waitFor,
	type FakeBrowser,
	type MockPushService,
	type RunningProcess
} from './helpers';

let database: Awaited<ReturnType<typeof startPostgres>>;
let mock: MockPushService;
let tls: ReturnType<typeof selfSignedCertificate>;
const browser: FakeBrowser = fakeBrowser();
const keys = webpush.generateVAPIDKeys();
const running: RunningProcess[] = [];

beforeAll(async () => {
	database = await startPostgres();
	tls = selfSignedCertificate();
	mock = await startMockPushService(tls);
}, 60_000);

afterAll(async () => {
	await mock?.close();
	database?.remove();
});

afterEach(async () => {
	await Promise.all(running.splice(0).map((process) => process.stop()));
	mock.received.length = 0;
	mock.behave = () => ({ status: 201 });
});

/** The environment every process of the group shares. */
function groupEnv(extra: Record<string, string> = {}): Record<string, string> {
	return {
		DATABASE_URL: database.url,
		VAPID_PUBLIC_KEY: keys.publicKey,
		VAPID_PRIVATE_KEY: keys.privateKey,
		VAPID_SUBJECT: 'mailto:it@example-clinic.org',
		PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
		NODE_EXTRA_CA_CERTS: tls.certPath,
		DISPATCH_INTERVAL_SECONDS: '0.5',
		...extra
	};
}

async function dispatcher(extra: Record<string, string> = {}): Promise<RunningProcess> {
	const process = await startDispatcherProcess(groupEnv(extra));
	running.push(process);
	return process;
}

/**
 * Empties the queue and stores `count` reminders over subscriptions of 100 reminders each, all
 * with endpoints on the mock push service.
 * @param dueAt the due time of reminder `index`
 * @returns every reminder as `path|reminderId`
 */
async function seed(count: number, dueAt: (index: number) => number): Promise<Set<string>> {
	const store = await PostgresStore.open({ connectionString: database.url });
	const all = new Set<string>();
	try {
		for (const subscription of await listSubscriptionIds()) {
			await store.deleteSubscription(subscription);
		}
		for (let first = 0; first < count; first += 100) {
			const id = `sub-${first / 100}`;
			const path = `/push/${id}`;
			const reminders = Array.from({ length: Math.min(100, count - first) }, (_, offset) => ({
				id: `reminder-${first + offset}`,
				dueAt: dueAt(first + offset)
			}));
			const { keys: subscriptionKeys } = browser.subscription(`${mock.origin}${path}`);
			await store.createSubscription(
				{ id, tokenHash: '0'.repeat(64), endpoint: `${mock.origin}${path}`, ...subscriptionKeys },
				reminders,
				Date.now()
			);
			for (const reminder of reminders) {
				all.add(`${path}|${reminder.id}`);
			}
		}
	} finally {
		await store.close();
	}
	return all;
}

async function listSubscriptionIds(): Promise<string[]> {
	const { default: pg } = await import('pg');
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		const exists = await client.query("SELECT to_regclass('subscriptions') AS name");
		if (!exists.rows[0]?.name) {
			return [];
		}
		return (await client.query<{ id: string }>('SELECT id FROM subscriptions')).rows.map(
			(row) => row.id
		);
	} finally {
		await client.end();
	}
}

/** How many times the mock received each reminder (decrypted), from the requests it answered 2xx or held. */
function arrivals(
	filter: (status: number) => boolean = (status) => status < 300
): Map<string, number> {
	const counts = new Map<string, number>();
	for (const push of mock.received) {
		if (!filter(push.status)) {
			continue;
		}
		const { reminderId } = JSON.parse(decryptPushBody(push.body, browser)) as {
			reminderId: string;
		};
		const key = `${push.path}|${reminderId}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

/** The total of the "sent N" figures a dispatcher logged. */
function sentBy(process: RunningProcess): number {
	return [...process.output().matchAll(/sent (\d+),/g)].reduce(
		(total, match) => total + Number(match[1]),
		0
	);
}

describe('several dispatchers over one PostgreSQL', () => {
	it('three dispatchers deliver 5,000 due reminders, each exactly once, sharing the work', async () => {
		const now = Date.now();
		const expected = await seed(5000, () => now - 1000);
		const dispatchers = await Promise.all([dispatcher(), dispatcher(), dispatcher()]);

		await waitFor('5,000 pushes', () => (mock.received.length >= 5000 ? true : undefined), 60_000);
		// A moment more, in case anything were sent twice.
		await new Promise((resolve) => setTimeout(resolve, 1500));

		const counts = arrivals();
		expect(mock.received).toHaveLength(5000);
		expect(new Set(counts.keys())).toEqual(expected);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
		await waitFor('the logs of every round', () =>
			dispatchers.reduce((total, d) => total + sentBy(d), 0) === 5000 ? true : undefined
		);
		const shares = dispatchers.map(sentBy);
		console.info(`5,000 reminders, sent per dispatcher: ${shares.join(', ')}`);
		expect(shares.every((share) => share > 0)).toBe(true);
	}, 90_000);

	it('a dispatcher killed mid-batch: another sends its reminders after the lease; none lost', async () => {
		const now = Date.now();
		const expected = await seed(1000, () => now - 1000);
		// A slow push service keeps a batch in flight long enough to kill the sender inside it.
		mock.behave = () => ({ status: 201, delayMs: 300 });
		// A short lease so the test is quick; batches small enough to send well within it.
		const tuning = {
			DISPATCH_LEASE_SECONDS: '6',
			// Far above the mock's 300 ms, even on a busy machine: a send cut off at its deadline
			// after the mock got it would be sent again, a duplicate the kill did not cause.
			DISPATCH_SEND_DEADLINE_SECONDS: '2',
			DISPATCH_BATCH_SIZE: '64'
		};
		const first = await dispatcher(tuning);
		await waitFor('the first pushes', () => (mock.received.length >= 150 ? true : undefined));

		await first.kill('SIGKILL');
		const killedAt = Date.now();
		const keyOf = (push: (typeof mock.received)[number]) =>
			`${push.path}|${JSON.parse(decryptPushBody(push.body, browser)).reminderId}`;
		const receivedBeforeKill = new Set(mock.received.map(keyOf));
		// Sends in flight at the kill: unanswered, or answered in its last moments (the delivery
		// reached the push service but its record had not reached the database).
		const inFlight = new Set(
			mock.received
				.filter((push) => push.answeredAt === null || push.answeredAt > killedAt - 100)
				.map(keyOf)
		);

		await dispatcher(tuning);
		await waitFor(
			'every reminder',
			() => (new Set(arrivals(() => true).keys()).size === expected.size ? true : undefined),
			60_000
		);
		await new Promise((resolve) => setTimeout(resolve, 1500));

		const counts = arrivals(() => true);
		expect(new Set(counts.keys())).toEqual(expected);
		const duplicates = [...counts].filter(([, count]) => count > 1).map(([key]) => key);
		console.info(
			`SIGKILL mid-batch: ${receivedBeforeKill.size} pushes before the kill, ${inFlight.size} of them in flight at the kill; ${duplicates.length} reminders sent twice`
		);
		// Only a reminder whose send was in flight at the kill arrives twice.
		expect(duplicates.every((key) => inFlight.has(key))).toBe(true);
		expect(duplicates.length).toBeLessThanOrEqual(inFlight.size);
		// Never more than twice: the second dispatcher never raced its own leases (on a starved
		// machine it leaves a reminder whose lease ran short for the next claim instead).
		expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
	}, 90_000);
});

describe('faults', () => {
	it('the database restarting: the API answers 503 quickly, dispatchers back off and resume, no reminder lost', async () => {
		const now = Date.now();
		// Due over the next 8 seconds, so some fall due while the database is down.
		const expected = await seed(400, (index) => now + index * 20);
		const web = await startServer(groupEnv({ DISPATCHER: 'off' }));
		running.push(web);
		// Reminders claimed when the database went away come back when their lease ends: 6 s here.
		const sender = await dispatcher({
			DISPATCH_LEASE_SECONDS: '5',
			DISPATCH_SEND_DEADLINE_SECONDS: '1'
		});
		await waitFor('the first pushes', () => (mock.received.length >= 50 ? true : undefined));

		database.stop();
		try {
			await checkWhileDown();
		} finally {
			database.start();
		}
		await waitFor(
			'every reminder after the restart',
			() => (new Set(arrivals().keys()).size === expected.size ? true : undefined),
			60_000
		);
		expect(new Set(arrivals().keys())).toEqual(expected);
		const duplicates = [...arrivals().values()].filter((count) => count > 1).length;
		console.info(`Database restart: all ${expected.size} delivered, ${duplicates} twice`);
		expect(duplicates).toBeLessThanOrEqual(32);
		await waitFor('the dispatcher to say it works again', () =>
			/working again after \d+ failed round/.test(sender.output()) ? true : undefined
		);
		expect((await fetch(`${web.url}/api/health`)).status).toBe(200);

		async function checkWhileDown() {
			const asked = Date.now();
			const health = await fetch(`${web.url}/api/health`, { signal: AbortSignal.timeout(15_000) });
			const subscribe = await fetch(`${web.url}/api/push/subscriptions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					subscription: browser.subscription(`${mock.origin}/push/new`),
					reminders: [{ id: 'r1', at: new Date(now + 3_600_000).toISOString() }]
				}),
				signal: AbortSignal.timeout(15_000)
			});
			const answeredInMs = Date.now() - asked;
			expect(health.status).toBe(503);
			expect(subscribe.status).toBe(503);
			expect(subscribe.headers.get('retry-after')).toBe('5');
			expect(await subscribe.json()).toEqual({
				error: 'the reminder service is briefly unavailable; try again later'
			});
			console.info(`Database down: the API answered 503 twice in ${answeredInMs} ms`);
			await waitFor('the dispatcher to notice', () =>
				/round failed \(\d+ in a row/.test(sender.output()) ? true : undefined
			);

			// Down a while longer: reminders keep falling due meanwhile.
			await new Promise((resolve) => setTimeout(resolve, 4000));
		}
	}, 90_000);

	it('the database unreachable (frozen, not down): the API answers 503 within seconds, not a hang', async () => {
		const now = Date.now();
		const expected = await seed(200, (index) => now + index * 20);
		const web = await startServer(groupEnv({ DISPATCHER: 'off' }));
		running.push(web);
		await dispatcher({ DISPATCH_LEASE_SECONDS: '6', DISPATCH_SEND_DEADLINE_SECONDS: '2' });
		// Connections in the pool exist: a frozen server accepts nothing and answers nothing on them.
		expect((await fetch(`${web.url}/api/health`)).status).toBe(200);

		database.pause();
		let answeredInMs: number;
		let status: number;
		try {
			const asked = Date.now();
			const health = await fetch(`${web.url}/api/health`, { signal: AbortSignal.timeout(20_000) });
			answeredInMs = Date.now() - asked;
			status = health.status;
			// Frozen a while longer, with reminders falling due.
			await new Promise((resolve) => setTimeout(resolve, 3000));
		} finally {
			database.resume();
		}
		console.info(`Database frozen: /api/health answered ${status} in ${answeredInMs} ms`);
		expect(status).toBe(503);
		// The query timeout (5 s) or the connection timeout (3 s), whichever applies, plus slack.
		expect(answeredInMs).toBeLessThan(8000);

		await waitFor(
			'every reminder after the thaw',
			() => (new Set(arrivals().keys()).size === expected.size ? true : undefined),
			60_000
		);
		expect(new Set(arrivals().keys())).toEqual(expected);
		await waitFor('health again', async () =>
			(await fetch(`${web.url}/api/health`)).status === 200 ? true : undefined
		);
	}, 90_000);

	it('a slow push service, then 429 with Retry-After, then a burst of 503: all delivered once, retries bounded', async () => {
		const now = Date.now();
		const expected = await seed(300, () => now - 1000);
		// By arrival order: 60 slow answers (1.5 s each), 100 × 429, 100 × 503, then healthy.
		mock.behave = (_path, index) =>
			index < 60
				? { status: 201, delayMs: 1500 }
				: index < 160
					? { status: 429, headers: { 'retry-after': '1' } }
					: index < 260
						? { status: 503 }
						: { status: 201 };
		const started = Date.now();
		await dispatcher({ DISPATCH_RETRY_BASE_SECONDS: '0.5' });

		await waitFor(
			'every reminder delivered',
			() => (new Set(arrivals().keys()).size === expected.size ? true : undefined),
			60_000
		);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const seconds = (Date.now() - started) / 1000;

		expect(new Set(arrivals().keys())).toEqual(expected);
		expect([...arrivals().values()].every((count) => count === 1)).toBe(true);
		// Each refusal costs exactly one more request: nothing is resent without cause.
		expect(mock.received).toHaveLength(300 + 200);
		const store = await PostgresStore.open({ connectionString: database.url });
		try {
			const states = (
				await Promise.all([0, 1, 2].map((sub) => store.listReminders(`sub-${sub}`)))
			).flat();
			expect(states.every((state) => state.status === 'sent')).toBe(true);
			expect(Math.max(...states.map((state) => state.attempts))).toBeLessThanOrEqual(5);
		} finally {
			await store.close();
		}
		console.info(
			`Slow, 429 and 503 bursts: 300 reminders delivered once in ${seconds.toFixed(1)} s with 500 requests`
		);
	}, 90_000);
});
