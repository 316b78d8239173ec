import { describe, expect, it, vi } from 'vitest';
import { parsePushPayload, reminderPushPayload } from '$lib/domain/push-payload';
import { SqliteStore } from '../store/sqlite-store';
import {
	StoreUnavailableError,
	type ClaimedReminder,
	type PushStore,
	type Delivery
} from '../store/types';
import { Dispatcher, reminderTopic, type DispatcherOptions, type RoundSummary } from './dispatcher';
import { EndpointRefusedError } from './endpoint-safety';
import type { PushRequest, SendPush } from './send';

const t0 = Date.UTC(2026, 4, 4, 17);
const hour = 3_600_000;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function claimed(reminderId: string, patch: Partial<ClaimedReminder> = {}): ClaimedReminder {
	return {
		subscriptionId: 'sub-1',
		reminderId,
		dueAt: t0,
		attempts: 0,
		leaseUntil: t0 + 120_000,
		subscription: { endpoint: 'https://push.example.com/x', p256dh: 'key', auth: 'secret' },
		...patch
	};
}

type Call =
	| ['sent', string, number]
	| ['retry', string, number, number, string]
	| ['failed', string, number, string]
	| ['deleted', string]
	| ['purged', number, number]
	| ['purgedSubscriptions', number, number, number];

/** A store that hands out the given reminders once and records what the dispatcher does. */
function fakeStore(reminders: ClaimedReminder[]): PushStore & { calls: Call[] } {
	let queue = [...reminders];
	const calls: Call[] = [];
	return {
		name: 'fake',
		calls,
		createSubscription: async () => {},
		subscribe: async () => ({ outcome: 'conflict' }),
		replaceSubscription: async () => 'missing',
		purgeSubscriptions: async (unseenBefore, emptySeenBefore, limit) => {
			calls.push(['purgedSubscriptions', unseenBefore, emptySeenBefore, limit]);
			return 0;
		},
		getSubscription: async () => null,
		listReminders: async () => [],
		close: async () => {},
		ping: async () => {},
		deleteSubscription: async (id) => {
			calls.push(['deleted', id]);
			return true;
		},
		claimDue: async (_now, limit) => {
			const batch = queue.slice(0, limit);
			queue = queue.slice(limit);
			return batch;
		},
		markSent: async (deliveries: readonly Delivery[]) => {
			for (const delivery of deliveries) {
				calls.push(['sent', delivery.reminderId, delivery.sentAt]);
			}
		},
		markRetry: async (ref, next, attempts, error) =>
			void calls.push(['retry', ref.reminderId, next, attempts, error]),
		markFailed: async (ref, attempts, error) =>
			void calls.push(['failed', ref.reminderId, attempts, error]),
		purgeFinished: async (before, limit) => {
			calls.push(['purged', before, limit]);
			return 0;
		}
	};
}

/** The reminders recorded as sent, in order. */
const sends = (store: { calls: Call[] }) =>
	store.calls.filter((call) => call[0] === 'sent').map((call) => call[1]);

const answer =
	(status: number, retryAfter: string | null = null, body = ''): SendPush =>
	async () => ({ status, retryAfter, body });

function dispatcher(store: PushStore, send: SendPush, patch: Partial<DispatcherOptions> = {}) {
	return new Dispatcher({
		now: () => t0 + 1000,
		store,
		send,
		checkEndpoint: async () => {},
		log: quiet,
		// The middle of the jitter range: backoffs come out exact.
		random: () => 0.5,
		...patch
	});
}

describe('Dispatcher', () => {
	it('pushes a due reminder with TTL 6 h, a topic, urgency high and the reminder payload', async () => {
		const store = fakeStore([claimed('s1:ice:1:morning')]);
		const requests: PushRequest[] = [];
		const summary = await dispatcher(
			store,
			async (request) => {
				requests.push(request);
				return { status: 201, retryAfter: null, body: '' };
			},
			{ appOrigin: 'https://care.example-clinic.org' }
		).runRound();

		expect(summary).toEqual({
			leaseLapsed: 0,
			sent: 1,
			retried: 0,
			failed: 0,
			expired: 0,
			gone: 0
		});
		expect(store.calls).toEqual([['sent', 's1:ice:1:morning', t0 + 1000]]);
		const [request] = requests;
		expect(request).toMatchObject({
			endpoint: 'https://push.example.com/x',
			keys: { p256dh: 'key', auth: 'secret' },
			ttlSeconds: 6 * 3600,
			urgency: 'high',
			topic: reminderTopic('s1:ice:1:morning')
		});
		expect(request?.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
		// Declarative Web Push: Safari shows it even when the service worker does not run.
		const payload = JSON.parse(request?.payload ?? '');
		expect(payload).toEqual(
			reminderPushPayload('s1:ice:1:morning', 'https://care.example-clinic.org')
		);
		expect(payload.web_push).toBe(8030);
		expect(payload.notification.navigate).toBe(
			'https://care.example-clinic.org/?reminder=s1%3Aice%3A1%3Amorning'
		);
		expect(parsePushPayload(payload)?.reminderId).toBe('s1:ice:1:morning');
		expect(Buffer.byteLength(request?.payload ?? '')).toBeLessThan(3000);
	});

	it('sends the older payload when no origin is configured', async () => {
		const requests: PushRequest[] = [];
		await dispatcher(fakeStore([claimed('r1')]), async (request) => {
			requests.push(request);
			return { status: 201, retryAfter: null, body: '' };
		}).runRound();
		expect(JSON.parse(requests[0]?.payload ?? '')).toEqual(reminderPushPayload('r1', null));
	});

	it.each([200, 201, 202])('counts HTTP %i as sent', async (status) => {
		const store = fakeStore([claimed('r1')]);
		await dispatcher(store, answer(status)).runRound();
		expect(store.calls).toEqual([['sent', 'r1', t0 + 1000]]);
	});

	it.each([404, 410])('deletes the subscription on HTTP %i', async (status) => {
		const store = fakeStore([claimed('r1')]);
		const summary = await dispatcher(store, answer(status)).runRound();
		expect(store.calls).toEqual([['deleted', 'sub-1']]);
		expect(summary.gone).toBe(1);
	});

	it.each([429, 500, 502, 503])('retries HTTP %i with exponential backoff', async (status) => {
		const store = fakeStore([
			claimed('first'),
			claimed('second', { attempts: 1 }),
			claimed('fourth', { attempts: 3 })
		]);
		await dispatcher(store, answer(status, null, 'busy')).runRound();
		expect(store.calls).toEqual([
			['retry', 'first', t0 + 1000 + 30_000, 1, `HTTP ${status}: busy`],
			['retry', 'second', t0 + 1000 + 60_000, 2, `HTTP ${status}: busy`],
			['retry', 'fourth', t0 + 1000 + 240_000, 4, `HTTP ${status}: busy`]
		]);
	});

	it('honours Retry-After in seconds and as an HTTP date, within limits', async () => {
		const now = t0 + 1000;
		const date = new Date(now + 90_000).toUTCString();
		const store = fakeStore([
			claimed('seconds'),
			claimed('date'),
			claimed('zero'),
			claimed('huge')
		]);
		const answers: Record<string, string> = {
			seconds: '120',
			date,
			zero: '0',
			huge: '86400'
		};
		await dispatcher(store, async (request) => ({
			status: 503,
			retryAfter: answers[parsePushPayload(JSON.parse(request.payload))?.reminderId ?? ''] ?? null,
			body: ''
		})).runRound();
		const next = Object.fromEntries(
			store.calls.map((call) => [call[1], call[0] === 'retry' ? call[2] - now : null])
		);
		expect(next).toEqual({
			seconds: 120_000,
			// HTTP dates have whole seconds.
			date: Date.parse(date) - now,
			zero: 1000,
			huge: hour
		});
	});

	it('retries network errors and gives up after 5 attempts, recording the last error', async () => {
		const store = fakeStore([claimed('r1', { attempts: 3 }), claimed('r2', { attempts: 4 })]);
		const send: SendPush = async () => {
			throw Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:443'), { code: 'ECONNREFUSED' });
		};
		const summary = await dispatcher(store, send).runRound();
		expect(store.calls).toEqual([
			['retry', 'r1', t0 + 1000 + 240_000, 4, 'ECONNREFUSED: connect ECONNREFUSED 1.2.3.4:443'],
			['failed', 'r2', 5, 'ECONNREFUSED: connect ECONNREFUSED 1.2.3.4:443']
		]);
		expect(summary).toMatchObject({ retried: 1, failed: 1 });
	});

	it('gives a 5xx up after the fifth attempt', async () => {
		const store = fakeStore([claimed('r1', { attempts: 4 })]);
		await dispatcher(store, answer(503, '1', 'down')).runRound();
		expect(store.calls).toEqual([['failed', 'r1', 5, 'HTTP 503: down']]);
	});

	it.each([400, 401, 403, 413])('fails at once on HTTP %i', async (status) => {
		const store = fakeStore([claimed('r1')]);
		await dispatcher(store, answer(status, null, 'bad')).runRound();
		expect(store.calls).toEqual([['failed', 'r1', 1, `HTTP ${status}: bad`]]);
	});

	it('marks a reminder more than the TTL late as expired without sending it', async () => {
		const store = fakeStore([
			claimed('stale', { dueAt: t0 - 6 * hour - 1 }),
			claimed('late-but-fine', { dueAt: t0 - 6 * hour + 2000 }),
			claimed('retrying', { dueAt: t0 - 7 * hour, attempts: 2 })
		]);
		const send = vi.fn(answer(201));
		const summary = await dispatcher(store, send).runRound();
		expect(store.calls).toEqual([
			['failed', 'stale', 0, 'expired'],
			['sent', 'late-but-fine', t0 + 1000],
			['sent', 'retrying', t0 + 1000]
		]);
		expect(send).toHaveBeenCalledTimes(2);
		expect(summary.expired).toBe(1);
	});

	it('re-checks the endpoint before sending and never sends to a refused one', async () => {
		const store = fakeStore([claimed('r1'), claimed('r2')]);
		const send = vi.fn(answer(201));
		await dispatcher(store, send, {
			checkEndpoint: async (endpoint) => {
				if (endpoint.includes('evil')) {
					throw new EndpointRefusedError('host evil is not allowed: 10.0.0.1 is a private address');
				}
			}
		}).runRound();
		expect(store.calls).toEqual([
			['sent', 'r1', t0 + 1000],
			['sent', 'r2', t0 + 1000]
		]);

		const evil = fakeStore([
			claimed('r3', { subscription: { endpoint: 'https://evil/x', p256dh: 'k', auth: 'a' } })
		]);
		await dispatcher(evil, send, {
			checkEndpoint: async () => {
				throw new EndpointRefusedError('10.0.0.1 is a private address');
			}
		}).runRound();
		expect(evil.calls).toEqual([
			['failed', 'r3', 1, 'endpoint refused: 10.0.0.1 is a private address']
		]);
		expect(send).toHaveBeenCalledTimes(2);
	});

	it('never retries (and so never re-sends) when recording a delivery fails', async () => {
		const store = fakeStore([claimed('r1')]);
		store.markSent = async () => {
			throw new Error('SQLITE_BUSY');
		};
		const send = vi.fn(answer(201));
		await expect(dispatcher(store, send).runRound()).rejects.toThrow('SQLITE_BUSY');
		expect(send).toHaveBeenCalledTimes(1);
		expect(store.calls).toEqual([]);
	});

	it('claims in batches until nothing is due', async () => {
		const store = fakeStore(Array.from({ length: 7 }, (_, i) => claimed(`r${i}`)));
		const claim = vi.spyOn(store, 'claimDue');
		const summary = await dispatcher(store, answer(201), { batchSize: 3 }).runRound();
		expect(summary.sent).toBe(7);
		expect(claim).toHaveBeenCalledTimes(3);
	});

	it('leaves a claimed reminder unsent when too little of its lease is left for a send', async () => {
		const store = fakeStore([claimed('r1'), claimed('r2'), claimed('r3')]);
		let now = t0;
		// Each send takes 4 s of a 10 s lease; a send may take up to 5 s (half the lease).
		const send: SendPush = async () => {
			now += 4000;
			return { status: 201, retryAfter: null, body: '' };
		};
		const summary = await dispatcher(store, send, {
			now: () => now,
			leaseMs: 10_000,
			sendDeadlineMs: 30_000,
			concurrency: 1
		}).runRound();
		// r1 starts at 0 s and r2 at 4 s; r3 would start at 8 s, past 10 - 5 s: left for the next claim.
		expect(store.calls.map((call) => call[1])).toEqual(['r1', 'r2']);
		expect(summary).toMatchObject({ sent: 2, leaseLapsed: 1 });
	});

	it('jitters its own backoff by up to ±20 %', async () => {
		const delays: number[] = [];
		for (const random of [0, 0.999]) {
			const store = fakeStore([claimed('r1')]);
			await dispatcher(store, answer(503), { random: () => random }).runRound();
			const call = store.calls[0];
			delays.push(call?.[0] === 'retry' ? call[2] - (t0 + 1000) : NaN);
		}
		expect(delays[0]).toBe(24_000);
		expect(delays[1]).toBeCloseTo(35_988, -1);
	});

	it('stops claiming after a store error, finishes the sends in flight, and reports the error', async () => {
		const store = fakeStore(Array.from({ length: 10 }, (_, i) => claimed(`r${i}`)));
		store.markRetry = async (ref) => {
			if (ref.reminderId === 'r1') {
				throw new StoreUnavailableError('PostgreSQL is unavailable');
			}
			store.calls.push(['retry', ref.reminderId, 0, 1, '']);
		};
		const claim = vi.spyOn(store, 'claimDue');
		await expect(
			dispatcher(store, answer(503), { batchSize: 4, concurrency: 2 }).runRound()
		).rejects.toThrow(StoreUnavailableError);
		// Two in flight at a time: what had started finished, and the round stopped in the first
		// batch of four rather than going on through all ten.
		expect(store.calls.length).toBeLessThanOrEqual(3);
		expect(store.calls.map((call) => call[1])).not.toContain('r4');
		expect(claim.mock.calls.length).toBeLessThanOrEqual(2);
	});

	it('records deliveries together (group commit): fewer writes than deliveries, none lost', async () => {
		const store = fakeStore(Array.from({ length: 150 }, (_, i) => claimed(`r${i}`)));
		const batches: number[] = [];
		const markSent = store.markSent;
		store.markSent = async (deliveries) => {
			batches.push(deliveries.length);
			await markSent(deliveries);
		};
		const summary = await dispatcher(store, answer(201), { concurrency: 8 }).runRound();
		expect(summary.sent).toBe(150);
		expect(batches.reduce((a, b) => a + b, 0)).toBe(150);
		expect(batches.length).toBeLessThan(150 / 4);
		expect(new Set(store.calls.map((call) => call[1])).size).toBe(150);
	});

	it('records each delivery within recordDelayMs, with the ones that came meanwhile', async () => {
		vi.useFakeTimers({ now: t0 + 1000 });
		try {
			const store = fakeStore(Array.from({ length: 12 }, (_, i) => claimed(`r${i}`)));
			// When each write ran, and the send times it carried.
			const writes: { at: number; sentAt: number[] }[] = [];
			const markSent = store.markSent;
			store.markSent = async (deliveries) => {
				writes.push({ at: Date.now(), sentAt: deliveries.map((delivery) => delivery.sentAt) });
				await markSent(deliveries);
			};
			// One send at a time, 3 ms each: deliveries at 3, 6, 9, … 36 ms.
			const send: SendPush = async () => {
				await new Promise((resolve) => setTimeout(resolve, 3));
				return { status: 201, retryAfter: null, body: '' };
			};
			const start = Date.now();
			const round = dispatcher(store, send, {
				now: () => Date.now(),
				concurrency: 1,
				recordDelayMs: 10
			}).runRound();
			await vi.advanceTimersByTimeAsync(100);
			expect((await round).sent).toBe(12);

			const relative = writes.map((write) => ({
				at: write.at - start,
				sentAt: write.sentAt.map((at) => at - start)
			}));
			// Not one write per delivery (every turn of the event loop), nor all at the end: a write
			// 10 ms after the first delivery it takes, with those that came in the meantime; the
			// last ones at the end of the round.
			expect(relative).toEqual([
				{ at: 13, sentAt: [3, 6, 9, 12] },
				{ at: 25, sentAt: [15, 18, 21, 24] },
				{ at: 36, sentAt: [27, 30, 33, 36] }
			]);
		} finally {
			vi.useRealTimers();
		}
	});

	it('writes one batch at a time to a slow store, and loses and repeats none', async () => {
		vi.useFakeTimers({ now: t0 + 1000 });
		try {
			const store = fakeStore(Array.from({ length: 40 }, (_, i) => claimed(`r${i}`)));
			let writing = 0;
			let overlapped = false;
			const oldest: number[] = [];
			const markSent = store.markSent;
			store.markSent = async (deliveries) => {
				overlapped ||= writing > 0;
				writing += 1;
				oldest.push(Date.now() - Math.min(...deliveries.map((delivery) => delivery.sentAt)));
				await new Promise((resolve) => setTimeout(resolve, 15));
				await markSent(deliveries);
				writing -= 1;
			};
			const send: SendPush = async () => {
				await new Promise((resolve) => setTimeout(resolve, 1));
				return { status: 201, retryAfter: null, body: '' };
			};
			const round = dispatcher(store, send, {
				now: () => Date.now(),
				concurrency: 1,
				recordDelayMs: 5
			}).runRound();
			await vi.advanceTimersByTimeAsync(200);
			expect((await round).sent).toBe(40);
			expect(overlapped).toBe(false);
			const recorded = store.calls.map((call) => call[1]);
			expect(recorded).toHaveLength(40);
			expect(new Set(recorded).size).toBe(40);
			// Written during the round, not all at its end; none waited longer than a write plus
			// the delay (the round's final write goes at once).
			expect(oldest.length).toBeGreaterThan(1);
			expect(Math.max(...oldest)).toBeLessThanOrEqual(15 + 5);
		} finally {
			vi.useRealTimers();
		}
	});

	it('a claim made ahead that fails while sends are in flight fails the round, not the process', async () => {
		const store = fakeStore(Array.from({ length: 4 }, (_, i) => claimed(`r${i}`)));
		const claimDue = store.claimDue;
		let claims = 0;
		store.claimDue = async (...args) => {
			claims += 1;
			if (claims > 1) {
				throw new StoreUnavailableError('PostgreSQL is unavailable');
			}
			return claimDue(...args);
		};
		const slowSend: SendPush = async () => {
			await new Promise((resolve) => setTimeout(resolve, 20));
			return { status: 201, retryAfter: null, body: '' };
		};
		// Vitest fails the run on any unhandled rejection, so this also checks there is none.
		await expect(
			dispatcher(store, slowSend, { batchSize: 4, concurrency: 1 }).runRound()
		).rejects.toThrow(StoreUnavailableError);
		expect(store.calls.map((call) => call[1])).toEqual(['r0', 'r1', 'r2', 'r3']);
	});

	it('records a delivery the store missed at the start of the next round', async () => {
		const store = fakeStore([claimed('r1')]);
		const markSent = store.markSent;
		store.markSent = async () => {
			throw new StoreUnavailableError('PostgreSQL is unavailable');
		};
		const send = vi.fn(answer(201));
		const running = dispatcher(store, send);
		await expect(running.runRound()).rejects.toThrow(StoreUnavailableError);
		store.markSent = markSent;
		await running.runRound();
		expect(store.calls).toEqual([['sent', 'r1', t0 + 1000]]);
		expect(send).toHaveBeenCalledTimes(1);
	});

	it('backs off after failed rounds, doubling up to the limit, and says when it works again', async () => {
		vi.useFakeTimers();
		try {
			const store = fakeStore([]);
			let down = true;
			const claim = vi.spyOn(store, 'claimDue').mockImplementation(async () => {
				if (down) {
					throw new StoreUnavailableError('PostgreSQL is unavailable: connect ECONNREFUSED');
				}
				return [];
			});
			const warnings: string[] = [];
			const errors: string[] = [];
			const running = dispatcher(store, answer(201), {
				intervalMs: 1000,
				maxBackoffMs: 4000,
				log: {
					info: () => {},
					warn: (message: string) => warnings.push(message),
					error: (message: string) => errors.push(message)
				}
			});
			running.start();
			const claimsAfter = async (ms: number) => {
				await vi.advanceTimersByTimeAsync(ms);
				return claim.mock.calls.length;
			};
			// Rounds at 0, 1, 3 (1 + 2), 7 (3 + 4) and 11 s (capped at 4 s).
			expect(await claimsAfter(0)).toBe(1);
			expect(await claimsAfter(1000)).toBe(2);
			expect(await claimsAfter(2000)).toBe(3);
			expect(await claimsAfter(4000)).toBe(4);
			expect(await claimsAfter(4000)).toBe(5);
			expect(errors[0]).toContain('1 in a row, next try in 1 s');
			down = false;
			expect(await claimsAfter(4000)).toBe(6);
			expect(warnings).toEqual(['Push dispatcher: working again after 5 failed round(s)']);
			expect(await claimsAfter(1000)).toBe(7);
			await running.stop();
		} finally {
			vi.useRealTimers();
		}
	});

	it('removes reminders finished a day ago and unused subscriptions once an hour, a batch at a time, and says how many', async () => {
		vi.useFakeTimers({ now: t0 });
		try {
			const store = fakeStore([]);
			const batches = [1000, 1000, 300, 0, 5];
			const purge = vi
				.spyOn(store, 'purgeFinished')
				.mockImplementation(async () => batches.shift() ?? 0);
			const subscriptionBatches = [1000, 2];
			const purgeSubscriptions = vi
				.spyOn(store, 'purgeSubscriptions')
				.mockImplementation(async () => subscriptionBatches.shift() ?? 0);
			const said: string[] = [];
			const running = dispatcher(store, answer(201), {
				now: () => Date.now(),
				intervalMs: 1000,
				log: { ...quiet, info: (message: string) => said.push(message) }
			});
			running.start();
			// Batches yield to the event loop in between.
			await vi.advanceTimersByTimeAsync(10);
			const day = 24 * 60 * 60 * 1000;
			expect(purge.mock.calls).toEqual([
				[t0 - day, 1000],
				[t0 - day, 1000],
				[t0 - day, 1000]
			]);
			// Unseen for 60 days; with no reminder left, unseen for the day kept plus a day.
			expect(purgeSubscriptions).toHaveBeenCalledTimes(2);
			const [unseenBefore, emptySeenBefore, limit] = purgeSubscriptions.mock.calls[0]!;
			expect(unseenBefore - (t0 - 60 * day)).toBeGreaterThanOrEqual(0);
			expect(unseenBefore - (t0 - 60 * day)).toBeLessThan(1000);
			expect([unseenBefore - emptySeenBefore, limit]).toEqual([-58 * day, 1000]);
			expect(said).toEqual([
				'Push dispatcher: forgot 2300 finished reminder(s) and 1002 unused subscription(s)'
			]);
			// Rounds go on every second; the next removal comes an hour after the first.
			await vi.advanceTimersByTimeAsync(60 * 60 * 1000 - 1000);
			expect(purge).toHaveBeenCalledTimes(3);
			await vi.advanceTimersByTimeAsync(1000);
			expect(purge).toHaveBeenCalledTimes(4);
			const [before] = purge.mock.calls[3]!;
			expect(before - (t0 + 60 * 60 * 1000 - day)).toBeGreaterThanOrEqual(0);
			expect(before - (t0 + 60 * 60 * 1000 - day)).toBeLessThan(1000);
			await running.stop();
		} finally {
			vi.useRealTimers();
		}
	});

	it('goes on sending when removing finished reminders fails, and tries that again later', async () => {
		vi.useFakeTimers({ now: t0 });
		try {
			const store = fakeStore([]);
			const purge = vi
				.spyOn(store, 'purgeFinished')
				.mockRejectedValueOnce(new StoreUnavailableError('PostgreSQL is unavailable: timeout'));
			const claim = vi.spyOn(store, 'claimDue');
			const warnings: string[] = [];
			const running = dispatcher(store, answer(201), {
				now: () => Date.now(),
				intervalMs: 1000,
				purgeEveryMs: 5000,
				log: { ...quiet, warn: (message: string) => warnings.push(message) }
			});
			running.start();
			await vi.advanceTimersByTimeAsync(3000);
			expect(claim).toHaveBeenCalledTimes(4);
			expect(warnings).toEqual([
				'Push dispatcher: could not remove finished reminders or unused subscriptions; trying again later:'
			]);
			await vi.advanceTimersByTimeAsync(2000);
			expect(purge).toHaveBeenCalledTimes(2);
			await running.stop();
		} finally {
			vi.useRealTimers();
		}
	});

	it('does not wait for a straggler: the next round sends on schedule while it is in flight', async () => {
		vi.useFakeTimers({ now: t0 });
		try {
			const store = fakeStore([]);
			// Round 1 claims "slow"; "fast" falls due before round 2.
			const batches = [[claimed('slow')], [claimed('fast')]];
			vi.spyOn(store, 'claimDue').mockImplementation(async () => batches.shift() ?? []);
			const sentAt: Record<string, number> = {};
			const send: SendPush = async (request) => {
				const id = JSON.parse(request.payload).reminderId as string;
				// A push service that takes the whole deadline to answer this one.
				await new Promise((resolve) => setTimeout(resolve, id === 'slow' ? 10_000 : 5));
				sentAt[id] = Date.now() - t0;
				return { status: 201, retryAfter: null, body: '' };
			};
			const rounds: RoundSummary[] = [];
			const running = dispatcher(store, send, {
				now: () => Date.now(),
				intervalMs: 1000,
				onRound: (summary) => rounds.push(summary)
			});
			running.start();
			await vi.advanceTimersByTimeAsync(1100);
			expect(sentAt).toEqual({ fast: 1005 });
			await vi.advanceTimersByTimeAsync(10_000);
			expect(sentAt).toEqual({ fast: 1005, slow: 10_000 });
			expect(sends(store)).toEqual(['fast', 'slow']);
			// Each round reports its own sends once they have ended.
			expect(rounds.map((summary) => summary.sent).sort()).toContain(1);
			await running.stop();
		} finally {
			vi.useRealTimers();
		}
	});

	it('keeps at most `concurrency` sends in flight across rounds', async () => {
		vi.useFakeTimers({ now: t0 });
		try {
			const store = fakeStore([]);
			const batches = [[claimed('a'), claimed('b')], [claimed('c')], [claimed('d')]];
			vi.spyOn(store, 'claimDue').mockImplementation(async () => batches.shift() ?? []);
			let inFlight = 0;
			let most = 0;
			const send: SendPush = async () => {
				inFlight += 1;
				most = Math.max(most, inFlight);
				await new Promise((resolve) => setTimeout(resolve, 5000));
				inFlight -= 1;
				return { status: 201, retryAfter: null, body: '' };
			};
			const running = dispatcher(store, send, {
				now: () => Date.now(),
				intervalMs: 1000,
				concurrency: 3
			});
			running.start();
			await vi.advanceTimersByTimeAsync(20_000);
			expect(most).toBe(3);
			expect(sends(store).sort()).toEqual(['a', 'b', 'c', 'd']);
			await running.stop();
		} finally {
			vi.useRealTimers();
		}
	});

	it('stop() waits for the sends of earlier rounds and records them', async () => {
		vi.useFakeTimers({ now: t0 });
		try {
			const store = fakeStore([claimed('r1')]);
			const send: SendPush = async () => {
				await new Promise((resolve) => setTimeout(resolve, 8000));
				return { status: 201, retryAfter: null, body: '' };
			};
			const running = dispatcher(store, send, { now: () => Date.now(), intervalMs: 1000 });
			running.start();
			await vi.advanceTimersByTimeAsync(3000);
			let stopped = false;
			const stopping = running.stop().then(() => (stopped = true));
			await vi.advanceTimersByTimeAsync(4000);
			expect(stopped).toBe(false);
			await vi.advanceTimersByTimeAsync(2000);
			await stopping;
			expect(store.calls.filter((call) => call[0] === 'sent')).toEqual([['sent', 'r1', t0 + 8000]]);
		} finally {
			vi.useRealTimers();
		}
	});

	it('checks the lease again right before sending (a slow endpoint check, a paused process)', async () => {
		const store = fakeStore([claimed('r1')]);
		let now = t0;
		const send = vi.fn(answer(201));
		const summary = await dispatcher(store, send, {
			now: () => now,
			leaseMs: 30_000,
			sendDeadlineMs: 10_000,
			checkEndpoint: async () => {
				// Paused for 25 s between the claim and the send: 5 s of the lease are left.
				now += 25_000;
			}
		}).runRound();
		expect(send).not.toHaveBeenCalled();
		expect(store.calls).toEqual([]);
		expect(summary.leaseLapsed).toBe(1);
	});

	it('refuses a TTL of 0', () => {
		expect(() => dispatcher(fakeStore([]), answer(201), { ttlSeconds: 0 })).toThrow(RangeError);
	});

	it('runs a round at start and every interval, and stops cleanly', async () => {
		vi.useFakeTimers();
		try {
			const store = fakeStore([]);
			const claim = vi.spyOn(store, 'claimDue');
			const running = dispatcher(store, answer(201), { intervalMs: 5000 });
			running.start();
			await vi.advanceTimersByTimeAsync(0);
			expect(claim).toHaveBeenCalledTimes(1);
			await vi.advanceTimersByTimeAsync(5000);
			expect(claim).toHaveBeenCalledTimes(2);
			await running.stop();
			await vi.advanceTimersByTimeAsync(20_000);
			expect(claim).toHaveBeenCalledTimes(2);
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('Dispatcher with a real store', () => {
	const subscription = {
		id: 'sub-1',
		tokenHash: '0'.repeat(64),
		endpoint: 'https://push.example.com/x',
		p256dh: 'key',
		auth: 'secret'
	};

	it('sends a reminder once, even when later rounds run', async () => {
		const store = new SqliteStore(':memory:');
		await store.createSubscription(subscription, [{ id: 'r1', dueAt: t0 }], t0);
		let now = t0 - 1000;
		const send = vi.fn(answer(201));
		const running = dispatcher(store, send, { now: () => now });
		await running.runRound();
		expect(send).not.toHaveBeenCalled();
		now = t0;
		await running.runRound();
		now = t0 + hour;
		await running.runRound();
		expect(send).toHaveBeenCalledTimes(1);
		expect((await store.listReminders('sub-1'))[0]?.status).toBe('sent');
		await store.close();
	});

	it('503 then 201 delivers exactly once, after the Retry-After', async () => {
		const store = new SqliteStore(':memory:');
		await store.createSubscription(subscription, [{ id: 'r1', dueAt: t0 }], t0);
		let now = t0;
		const statuses = [503, 201];
		const send = vi.fn<SendPush>(async () => ({
			status: statuses.shift() ?? 500,
			retryAfter: '10',
			body: ''
		}));
		const running = dispatcher(store, send, { now: () => now });
		await running.runRound();
		now = t0 + 9_000;
		await running.runRound();
		expect(send).toHaveBeenCalledTimes(1);
		now = t0 + 10_000;
		await running.runRound();
		now = t0 + hour;
		await running.runRound();
		expect(send).toHaveBeenCalledTimes(2);
		expect((await store.listReminders('sub-1'))[0]).toMatchObject({ status: 'sent', attempts: 2 });
		await store.close();
	});

	it('picks a reminder up again when the process sending it died before its lease ran out', async () => {
		const store = new SqliteStore(':memory:');
		await store.createSubscription(subscription, [{ id: 'r1', dueAt: t0 }], t0);
		// The crashed process claimed it and never reported back.
		await store.claimDue(t0, 10, 120_000);
		let now = t0 + 60_000;
		const send = vi.fn(answer(201));
		const running = dispatcher(store, send, { now: () => now });
		await running.runRound();
		expect(send).not.toHaveBeenCalled();
		now = t0 + 120_000;
		await running.runRound();
		expect(send).toHaveBeenCalledTimes(1);
		await store.close();
	});

	it('a 410 removes the subscription and all its reminders', async () => {
		const store = new SqliteStore(':memory:');
		await store.createSubscription(
			subscription,
			[
				{ id: 'r1', dueAt: t0 },
				{ id: 'r2', dueAt: t0 + hour }
			],
			t0
		);
		await dispatcher(store, answer(410)).runRound();
		expect(await store.getSubscription('sub-1')).toBeNull();
		expect(await store.listReminders('sub-1')).toEqual([]);
		await store.close();
	});
});

describe('reminderTopic', () => {
	it('is short, base64url and differs between reminders', () => {
		const topic = reminderTopic('x'.repeat(128));
		expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
		expect(reminderTopic('a')).not.toBe(reminderTopic('b'));
		expect(reminderTopic('a')).toBe(reminderTopic('a'));
	});
});
