import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
	PushStore,
	ReminderSchedule,
	StoredSubscription
} from '../../../src/lib/server/store/types';

/** Makes a fresh, empty store for one test. */
export type MakeStore = () => Promise<PushStore>;

const t0 = Date.UTC(2026, 4, 4, 17);
const minute = 60_000;
const day = 86_400_000;
const lease = 60_000;

/**
 * A subscription for tests.
 * @param id its id; endpoint and keys derive from it
 */
export function testSubscription(id: string): StoredSubscription {
	return {
		id,
		tokenHash: `hash-of-${id}`.padEnd(64, '0'),
		endpoint: `https://push.example.com/${id}`,
		p256dh: `p256dh-${id}`,
		auth: `auth-${id}`
	};
}

const reminders = (...minutes: number[]): ReminderSchedule[] =>
	minutes.map((offset, index) => ({ id: `r${index + 1}`, dueAt: t0 + offset * minute }));

/**
 * The behaviour every `PushStore` must have. Call it inside a spec file with a factory that
 * returns a fresh, empty store; each test closes the store it made.
 * @param name the store's name in the test titles
 * @param makeStore the factory
 */
export function storeContract(name: string, makeStore: MakeStore): void {
	describe(`PushStore contract: ${name}`, () => {
		let store: PushStore;

		beforeEach(async () => {
			store = await makeStore();
		});

		afterEach(async () => {
			await store.close();
		});

		it('has a name', () => {
			expect(store.name).toMatch(/^[a-z]+$/);
		});

		it('keeps a subscription and finds it by id', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 10), t0);
			expect(await store.getSubscription('a')).toEqual(testSubscription('a'));
			expect(await store.getSubscription('b')).toBeNull();
			const states = await store.listReminders('a');
			expect(states.map((state) => [state.reminderId, state.status, state.dueAt])).toEqual([
				['r1', 'pending', t0],
				['r2', 'pending', t0 + 10 * minute]
			]);
		});

		it('refuses a second subscription with the same id', async () => {
			await store.createSubscription(testSubscription('a'), [], t0);
			await expect(store.createSubscription(testSubscription('a'), [], t0)).rejects.toThrow();
		});

		it('claims only due reminders, earliest first, with their subscription', async () => {
			await store.createSubscription(testSubscription('a'), reminders(5, 0, 60), t0);
			await store.createSubscription(testSubscription('b'), reminders(1), t0);
			const claimed = await store.claimDue(t0 + 5 * minute, 10, lease);
			expect(claimed.map((c) => [c.subscriptionId, c.reminderId])).toEqual([
				['a', 'r2'],
				['b', 'r1'],
				['a', 'r1']
			]);
			expect(claimed[0]).toEqual({
				subscriptionId: 'a',
				reminderId: 'r2',
				dueAt: t0,
				attempts: 0,
				leaseUntil: t0 + 5 * minute + lease,
				subscription: {
					endpoint: 'https://push.example.com/a',
					p256dh: 'p256dh-a',
					auth: 'auth-a'
				}
			});
			const states = await store.listReminders('a');
			expect(states.find((s) => s.reminderId === 'r2')).toMatchObject({
				status: 'sending',
				leaseUntil: t0 + 5 * minute + lease
			});
			expect(states.find((s) => s.reminderId === 'r3')?.status).toBe('pending');
		});

		it('respects the limit', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 1, 2, 3, 4), t0);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(2);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(2);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(1);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(0);
		});

		it('never hands out a leased reminder twice, even to concurrent claims', async () => {
			await store.createSubscription(
				testSubscription('a'),
				Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, dueAt: t0 })),
				t0
			);
			const batches = await Promise.all(
				Array.from({ length: 8 }, () => store.claimDue(t0, 7, lease))
			);
			const ids = batches.flat().map((c) => c.reminderId);
			expect(ids).toHaveLength(40);
			expect(new Set(ids).size).toBe(40);
			expect(await store.claimDue(t0 + lease - 1, 100, lease)).toEqual([]);
		});

		it('hands a reminder out again when its lease expired (the sender died)', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			expect(await store.claimDue(t0, 10, lease)).toHaveLength(1);
			expect(await store.claimDue(t0 + lease - 1, 10, lease)).toHaveLength(0);
			const again = await store.claimDue(t0 + lease, 10, lease);
			expect(again.map((c) => c.reminderId)).toEqual(['r1']);
		});

		it('never claims a sent reminder again', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.markSent([{ ...claimed!, sentAt: t0 + 1000 }]);
			expect(await store.claimDue(t0 + 100 * lease, 10, lease)).toEqual([]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'sent',
				attempts: 1,
				leaseUntil: null
			});
		});

		it('retries at the time given, counting attempts', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.markRetry(claimed!, t0 + 5 * minute, 1, 'HTTP 503');
			expect(await store.claimDue(t0 + 5 * minute - 1, 10, lease)).toEqual([]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'retry',
				attempts: 1,
				lastError: 'HTTP 503',
				nextTryAt: t0 + 5 * minute
			});
			const [retried] = await store.claimDue(t0 + 5 * minute, 10, lease);
			expect(retried).toMatchObject({ reminderId: 'r1', attempts: 1 });
		});

		it('records many deliveries at once, skipping those no longer being sent', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 0, 0), t0);
			await store.createSubscription(testSubscription('b'), reminders(0), t0);
			const claimed = await store.claimDue(t0, 10, lease);
			expect(claimed).toHaveLength(4);
			await store.deleteSubscription('b');
			await store.markSent(claimed.map((c, index) => ({ ...c, sentAt: t0 + index })));
			const states = await store.listReminders('a');
			expect(states.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);
			expect(states.every((s) => s.attempts === 1 && s.leaseUntil === null)).toBe(true);
			await store.markSent([]);
		});

		it('records a failure and never claims it again', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.markFailed(claimed!, 5, 'HTTP 503: overloaded');
			expect(await store.claimDue(t0 + 100 * lease, 10, lease)).toEqual([]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'failed',
				attempts: 5
			});
		});

		it('removes finished reminders whose last attempt ended before the time given, a batch at a time', async () => {
			// r1–r3 sent, r4 given up, r5 retrying, r6 being sent, r7 still to come (tomorrow).
			await store.createSubscription(
				testSubscription('a'),
				reminders(0, 0, 0, 0, 0, 0, 24 * 60),
				t0
			);
			const claimed = await store.claimDue(t0, 6, lease);
			const byId = (id: string) => claimed.find((one) => one.reminderId === id)!;
			await store.markSent(['r1', 'r2', 'r3'].map((id) => ({ ...byId(id), sentAt: t0 + 1000 })));
			await store.markFailed(byId('r4'), 5, 'HTTP 400');
			await store.markRetry(byId('r5'), t0 + 5 * minute, 1, 'HTTP 503');
			const ids = async () => (await store.listReminders('a')).map((one) => one.reminderId);

			// Finished on t0's UTC day: kept until the midnight after it.
			const midnight = Date.UTC(2026, 4, 5);
			expect(await store.purgeFinished(midnight, 10)).toBe(0);
			expect(await store.purgeFinished(midnight + 1, 2)).toBe(2);
			expect(await ids()).toHaveLength(5);
			expect(await store.purgeFinished(midnight + 1, 10)).toBe(2);
			expect(await ids()).toEqual(['r5', 'r6', 'r7']);
			// Nothing unfinished goes, however old.
			expect(await store.purgeFinished(t0 + 1000 * day, 10)).toBe(0);
			expect(await ids()).toEqual(['r5', 'r6', 'r7']);
		});

		it('replaces endpoint, keys and the reminder set, keeping the state of unchanged reminders', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 10, 20), t0);
			const [first] = await store.claimDue(t0, 10, lease);
			await store.markSent([{ ...first!, sentAt: t0 }]);

			const replaced = await store.replaceSubscription(
				'a',
				{ endpoint: 'https://push.example.com/new', p256dh: 'new-key', auth: 'new-auth' },
				[
					{ id: 'r1', dueAt: t0 },
					{ id: 'r2', dueAt: t0 + 15 * minute },
					{ id: 'r4', dueAt: t0 + 30 * minute }
				],
				t0
			);

			expect(replaced).toBe('replaced');
			expect(await store.getSubscription('a')).toEqual({
				id: 'a',
				tokenHash: testSubscription('a').tokenHash,
				endpoint: 'https://push.example.com/new',
				p256dh: 'new-key',
				auth: 'new-auth'
			});
			const states = await store.listReminders('a');
			expect(states.map((s) => [s.reminderId, s.status, s.dueAt])).toEqual([
				['r1', 'sent', null],
				['r2', 'pending', t0 + 15 * minute],
				['r4', 'pending', t0 + 30 * minute]
			]);
			const claimed = await store.claimDue(t0 + 60 * minute, 10, lease);
			expect(claimed.map((c) => c.reminderId)).toEqual(['r2', 'r4']);
			expect(claimed[0]?.subscription.endpoint).toBe('https://push.example.com/new');
		});

		it('makes a moved reminder pending again and ignores a stale outcome for it', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.replaceSubscription(
				'a',
				testSubscription('a'),
				[{ id: 'r1', dueAt: t0 + 60 * minute }],
				t0
			);
			await store.markSent([{ ...claimed!, sentAt: t0 + 1 }]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'pending',
				attempts: 0,
				dueAt: t0 + 60 * minute
			});
		});

		it('ignores every outcome of a claim once the reminder is claimed again (moved, or its lease ran out)', async () => {
			// Claimed, then moved to a minute later by the phone, then claimed again when due: the
			// first claim's outcomes come late and must not touch the second claim's send.
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			const [first] = await store.claimDue(t0, 10, lease);
			await store.replaceSubscription(
				'a',
				testSubscription('a'),
				[{ id: 'r1', dueAt: t0 + minute }],
				t0
			);
			const [second] = await store.claimDue(t0 + minute, 10, lease);
			expect(second!.leaseUntil).not.toBe(first!.leaseUntil);
			await store.markRetry(first!, t0 + 30 * minute, 1, 'HTTP 503');
			await store.markFailed(first!, 5, 'HTTP 400');
			await store.markSent([{ ...first!, sentAt: t0 + 2 }]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'sending',
				dueAt: t0 + minute,
				attempts: 0,
				leaseUntil: second!.leaseUntil
			});
			await store.markSent([{ ...second!, sentAt: t0 + minute + 5 }]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'sent',
				attempts: 1
			});

			// The same when the lease ran out and another sender took it over.
			await store.createSubscription(testSubscription('b'), reminders(0), t0);
			const [dead] = await store.claimDue(t0, 10, lease);
			const [takeover] = await store.claimDue(t0 + lease + 1, 10, lease);
			expect(takeover).toMatchObject({ subscriptionId: 'b' });
			await store.markRetry(dead!, t0 + 30 * minute, 1, 'timeout');
			expect((await store.listReminders('b'))[0]).toMatchObject({
				status: 'sending',
				leaseUntil: takeover!.leaseUntil
			});
		});

		it('replaces all or nothing', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 10), t0);
			// A repeated id breaks the primary key half way through: nothing may change.
			await expect(
				store.replaceSubscription(
					'a',
					{ endpoint: 'https://push.example.com/new', p256dh: 'k', auth: 'x' },
					[
						{ id: 'r9', dueAt: t0 },
						{ id: 'r9', dueAt: t0 + 1 }
					],
					t0
				)
			).rejects.toThrow();
			expect(await store.getSubscription('a')).toEqual(testSubscription('a'));
			expect((await store.listReminders('a')).map((s) => s.reminderId)).toEqual(['r1', 'r2']);
		});

		it('answers false when replacing or deleting an unknown subscription', async () => {
			expect(
				await store.replaceSubscription('nobody', testSubscription('x'), reminders(0), t0)
			).toBe('missing');
			expect(await store.deleteSubscription('nobody')).toBe(false);
			expect(await store.listReminders('nobody')).toEqual([]);
		});

		it('deletes a subscription with every pending reminder', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 10), t0);
			await store.createSubscription(testSubscription('b'), reminders(0), t0);
			expect(await store.deleteSubscription('a')).toBe(true);
			expect(await store.getSubscription('a')).toBeNull();
			expect(await store.listReminders('a')).toEqual([]);
			const claimed = await store.claimDue(t0 + 60 * minute, 10, lease);
			expect(claimed.map((c) => c.subscriptionId)).toEqual(['b']);
		});

		it('ignores outcomes for a reminder deleted while it was being sent', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0), t0);
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.deleteSubscription('a');
			await store.markSent([{ ...claimed!, sentAt: t0 }]);
			await store.markRetry(claimed!, t0, 1, 'x');
			await store.markFailed(claimed!, 1, 'x');
			expect(await store.listReminders('a')).toEqual([]);
		});

		it('keeps no instant of a reminder once it was sent or given up, and no error', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 1, 2), t0);
			const [sent, failed, retried] = await store.claimDue(t0 + 2 * minute, 10, lease);
			await store.markSent([{ ...sent!, sentAt: t0 + 17 * minute }]);
			await store.markFailed(failed!, 5, 'HTTP 400: bad');
			await store.markRetry(retried!, t0 + 30 * minute, 1, 'HTTP 503');
			const states = await store.listReminders('a');
			expect(states).toEqual([
				expect.objectContaining({ reminderId: 'r1', status: 'sent', dueAt: null }),
				expect.objectContaining({ reminderId: 'r2', status: 'failed', dueAt: null }),
				expect.objectContaining({ reminderId: 'r3', status: 'retry', dueAt: t0 + 2 * minute })
			]);
			for (const finished of states.slice(0, 2)) {
				// All that is left of its time: the midnight after the day it finished.
				expect(finished).toMatchObject({
					nextTryAt: Date.UTC(2026, 4, 5),
					leaseUntil: null,
					lastError: null,
					attempts: finished.status === 'sent' ? 1 : 5
				});
				expect(Object.keys(finished)).not.toContain('sentAt');
			}
		});

		it('never re-queues a finished reminder listed again with a past instant (a slow clock), but does with a later one (a snooze)', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 0, 0), t0);
			const claimed = await store.claimDue(t0, 10, lease);
			await store.markSent(claimed.map((one) => ({ ...one, sentAt: t0 + 1000 })));
			const now = t0 + 5 * minute;
			const later = now + 60 * minute;
			const result = await store.replaceSubscription(
				'a',
				testSubscription('a'),
				[
					{ id: 'r1', dueAt: t0 },
					{ id: 'r2', dueAt: t0 - minute },
					{ id: 'r3', dueAt: later }
				],
				now
			);
			expect(result).toBe('replaced');
			const states = await store.listReminders('a');
			expect(states.map((s) => [s.reminderId, s.status, s.dueAt])).toEqual([
				['r1', 'sent', null],
				['r2', 'sent', null],
				['r3', 'pending', later]
			]);
			const due = await store.claimDue(later, 10, lease);
			expect(due.map((c) => c.reminderId)).toEqual(['r3']);
		});

		it('subscribes idempotently: the same endpoint and auth secret renew the subscription, with its id and reminder states', async () => {
			const first = await store.subscribe(testSubscription('a'), reminders(0, 10), t0);
			expect(first).toEqual({ outcome: 'created', id: 'a' });
			const [sent] = await store.claimDue(t0, 10, lease);
			await store.markSent([{ ...sent!, sentAt: t0 }]);

			// The answer was lost: the phone posts again with a new id and token, and a changed plan.
			const again = {
				...testSubscription('b'),
				endpoint: testSubscription('a').endpoint,
				auth: testSubscription('a').auth,
				p256dh: 'new-p256dh'
			};
			const renewed = await store.subscribe(
				again,
				[...reminders(0, 20), { id: 'r3', dueAt: t0 + 30 * minute }],
				t0 + minute
			);
			expect(renewed).toEqual({ outcome: 'renewed', id: 'a' });
			expect(await store.getSubscription('b')).toBeNull();
			expect(await store.getSubscription('a')).toEqual({
				...testSubscription('a'),
				tokenHash: again.tokenHash,
				p256dh: 'new-p256dh'
			});
			const states = await store.listReminders('a');
			expect(states.map((s) => [s.reminderId, s.status])).toEqual([
				['r1', 'sent'],
				['r2', 'pending'],
				['r3', 'pending']
			]);
			// Every reminder once: no second subscription sends them again.
			const due = await store.claimDue(t0 + 60 * minute, 100, lease);
			expect(due.map((c) => `${c.subscriptionId}/${c.reminderId}`)).toEqual(['a/r2', 'a/r3']);
		});

		it('refuses to let an endpoint be taken with another auth secret, and changes nothing', async () => {
			await store.subscribe(testSubscription('a'), reminders(10), t0);
			const hijack = { ...testSubscription('x'), endpoint: testSubscription('a').endpoint };
			expect(await store.subscribe(hijack, reminders(20), t0)).toEqual({ outcome: 'conflict' });
			expect(await store.getSubscription('x')).toBeNull();
			expect(await store.getSubscription('a')).toEqual(testSubscription('a'));
			expect((await store.listReminders('a')).map((s) => s.dueAt)).toEqual([t0 + 10 * minute]);

			// Nor through a replace of another subscription, nor a plain create.
			await store.subscribe(testSubscription('b'), reminders(5), t0);
			const onto = { endpoint: hijack.endpoint, p256dh: 'p256dh-b', auth: 'auth-b' };
			expect(await store.replaceSubscription('b', onto, reminders(30), t0)).toBe('conflict');
			expect(await store.getSubscription('a')).toEqual(testSubscription('a'));
			expect(await store.getSubscription('b')).toEqual(testSubscription('b'));
			await expect(
				store.createSubscription({ ...testSubscription('c'), endpoint: hijack.endpoint }, [], t0)
			).rejects.toThrow();
		});

		it('removes the orphan when a replace moves onto an endpoint the same browser registered again', async () => {
			await store.subscribe(testSubscription('a'), reminders(10), t0);
			const orphan = { ...testSubscription('b'), auth: 'auth-a', p256dh: 'p256dh-a' };
			await store.subscribe(orphan, reminders(20), t0);
			const moved = { endpoint: orphan.endpoint, p256dh: 'p256dh-a', auth: 'auth-a' };
			expect(await store.replaceSubscription('a', moved, reminders(10), t0)).toBe('replaced');
			expect(await store.getSubscription('b')).toBeNull();
			expect((await store.getSubscription('a'))?.endpoint).toBe(orphan.endpoint);
		});

		it('purges subscriptions unseen since the time given, and those with no reminder left seen before the other time given', async () => {
			await store.createSubscription(testSubscription('old'), reminders(60), t0);
			await store.createSubscription(testSubscription('empty'), [], t0);
			await store.createSubscription(testSubscription('done'), reminders(0), t0);
			await store.createSubscription(testSubscription('fresh'), [], t0 + 2 * day);
			await store.createSubscription(testSubscription('touched'), reminders(60), t0);
			const [done] = await store.claimDue(t0, 10, lease);
			await store.markSent([{ ...done!, sentAt: t0 }]);
			await store.purgeFinished(t0 + 3 * day, 10);
			// Its phone opened the app: the PUT records it as seen.
			const touched = testSubscription('touched');
			await store.replaceSubscription('touched', touched, reminders(60), t0 + 2 * day);
			const ids = ['old', 'empty', 'done', 'fresh', 'touched'];
			const alive = async () => {
				const found = await Promise.all(ids.map((id) => store.getSubscription(id)));
				return ids.filter((_, index) => found[index]);
			};

			expect(await store.purgeSubscriptions(t0, t0, 10)).toBe(0);
			expect(await store.purgeSubscriptions(t0, t0 + 1, 1)).toBe(1);
			expect(await store.purgeSubscriptions(t0, t0 + 1, 10)).toBe(1);
			expect(await alive()).toEqual(['old', 'fresh', 'touched']);
			expect(await store.purgeSubscriptions(t0 + 1, t0 + 1, 10)).toBe(1);
			expect(await alive()).toEqual(['fresh', 'touched']);
			expect(await store.listReminders('old')).toEqual([]);
		});
	});
}
