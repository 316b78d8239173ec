import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushStore, ReminderSchedule, StoredSubscription } from './types';

/** Makes a fresh, empty store for one test. */
export type MakeStore = () => Promise<PushStore>;

const t0 = Date.UTC(2026, 4, 4, 17);
const minute = 60_000;
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
			await store.createSubscription(testSubscription('a'), reminders(0, 10));
			expect(await store.getSubscription('a')).toEqual(testSubscription('a'));
			expect(await store.getSubscription('b')).toBeNull();
			const states = await store.listReminders('a');
			expect(states.map((state) => [state.reminderId, state.status, state.dueAt])).toEqual([
				['r1', 'pending', t0],
				['r2', 'pending', t0 + 10 * minute]
			]);
		});

		it('refuses a second subscription with the same id', async () => {
			await store.createSubscription(testSubscription('a'), []);
			await expect(store.createSubscription(testSubscription('a'), [])).rejects.toThrow();
		});

		it('claims only due reminders, earliest first, with their subscription', async () => {
			await store.createSubscription(testSubscription('a'), reminders(5, 0, 60));
			await store.createSubscription(testSubscription('b'), reminders(1));
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
			await store.createSubscription(testSubscription('a'), reminders(0, 1, 2, 3, 4));
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(2);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(2);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(1);
			expect(await store.claimDue(t0 + 10 * minute, 2, lease)).toHaveLength(0);
		});

		it('never hands out a leased reminder twice, even to concurrent claims', async () => {
			await store.createSubscription(
				testSubscription('a'),
				Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, dueAt: t0 }))
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
			await store.createSubscription(testSubscription('a'), reminders(0));
			expect(await store.claimDue(t0, 10, lease)).toHaveLength(1);
			expect(await store.claimDue(t0 + lease - 1, 10, lease)).toHaveLength(0);
			const again = await store.claimDue(t0 + lease, 10, lease);
			expect(again.map((c) => c.reminderId)).toEqual(['r1']);
		});

		it('never claims a sent reminder again', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0));
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.markSent([{ ...claimed!, sentAt: t0 + 1000 }]);
			expect(await store.claimDue(t0 + 100 * lease, 10, lease)).toEqual([]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'sent',
				sentAt: t0 + 1000,
				attempts: 1,
				leaseUntil: null
			});
		});

		it('retries at the time given, counting attempts', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0));
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
			await store.createSubscription(testSubscription('a'), reminders(0, 0, 0));
			await store.createSubscription(testSubscription('b'), reminders(0));
			const claimed = await store.claimDue(t0, 10, lease);
			expect(claimed).toHaveLength(4);
			await store.deleteSubscription('b');
			await store.markSent(claimed.map((c, index) => ({ ...c, sentAt: t0 + index })));
			const states = await store.listReminders('a');
			expect(states.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);
			expect(new Set(states.map((s) => s.sentAt)).size).toBe(3);
			await store.markSent([]);
		});

		it('records a failure and never claims it again', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0));
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.markFailed(claimed!, 5, 'HTTP 503: overloaded');
			expect(await store.claimDue(t0 + 100 * lease, 10, lease)).toEqual([]);
			expect((await store.listReminders('a'))[0]).toMatchObject({
				status: 'failed',
				attempts: 5,
				lastError: 'HTTP 503: overloaded'
			});
		});

		it('removes finished reminders whose last attempt ended before the time given, a batch at a time', async () => {
			// r1–r3 sent, r4 given up, r5 retrying, r6 being sent, r7 still to come (tomorrow).
			await store.createSubscription(testSubscription('a'), reminders(0, 0, 0, 0, 0, 0, 24 * 60));
			const claimed = await store.claimDue(t0, 6, lease);
			const byId = (id: string) => claimed.find((one) => one.reminderId === id)!;
			await store.markSent(['r1', 'r2', 'r3'].map((id) => ({ ...byId(id), sentAt: t0 + 1000 })));
			await store.markFailed(byId('r4'), 5, 'HTTP 400');
			await store.markRetry(byId('r5'), t0 + 5 * minute, 1, 'HTTP 503');
			const ids = async () => (await store.listReminders('a')).map((one) => one.reminderId);

			// Finished at the end of their lease (t0 + lease): kept until then.
			expect(await store.purgeFinished(t0 + lease, 10)).toBe(0);
			expect(await store.purgeFinished(t0 + lease + 1, 2)).toBe(2);
			expect(await ids()).toHaveLength(5);
			expect(await store.purgeFinished(t0 + lease + 1, 10)).toBe(2);
			expect(await ids()).toEqual(['r5', 'r6', 'r7']);
			// Nothing unfinished goes, however old.
			expect(await store.purgeFinished(t0 + 1000 * lease, 10)).toBe(0);
			expect(await ids()).toEqual(['r5', 'r6', 'r7']);
		});

		it('replaces endpoint, keys and the reminder set, keeping the state of unchanged reminders', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 10, 20));
			const [first] = await store.claimDue(t0, 10, lease);
			await store.markSent([{ ...first!, sentAt: t0 }]);

			const replaced = await store.replaceSubscription(
				'a',
				{ endpoint: 'https://push.example.com/new', p256dh: 'new-key', auth: 'new-auth' },
				[
					{ id: 'r1', dueAt: t0 },
					{ id: 'r2', dueAt: t0 + 15 * minute },
					{ id: 'r4', dueAt: t0 + 30 * minute }
				]
			);

			expect(replaced).toBe(true);
			expect(await store.getSubscription('a')).toEqual({
				id: 'a',
				tokenHash: testSubscription('a').tokenHash,
				endpoint: 'https://push.example.com/new',
				p256dh: 'new-key',
				auth: 'new-auth'
			});
			const states = await store.listReminders('a');
			expect(states.map((s) => [s.reminderId, s.status, s.dueAt])).toEqual([
				['r1', 'sent', t0],
				['r2', 'pending', t0 + 15 * minute],
				['r4', 'pending', t0 + 30 * minute]
			]);
			const claimed = await store.claimDue(t0 + 60 * minute, 10, lease);
			expect(claimed.map((c) => c.reminderId)).toEqual(['r2', 'r4']);
			expect(claimed[0]?.subscription.endpoint).toBe('https://push.example.com/new');
		});

		it('makes a moved reminder pending again and ignores a stale outcome for it', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0));
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.replaceSubscription('a', testSubscription('a'), [
				{ id: 'r1', dueAt: t0 + 60 * minute }
			]);
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
			await store.createSubscription(testSubscription('a'), reminders(0));
			const [first] = await store.claimDue(t0, 10, lease);
			await store.replaceSubscription('a', testSubscription('a'), [
				{ id: 'r1', dueAt: t0 + minute }
			]);
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
				sentAt: t0 + minute + 5,
				attempts: 1
			});

			// The same when the lease ran out and another sender took it over.
			await store.createSubscription(testSubscription('b'), reminders(0));
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
			await store.createSubscription(testSubscription('a'), reminders(0, 10));
			// A repeated id breaks the primary key half way through: nothing may change.
			await expect(
				store.replaceSubscription(
					'a',
					{ endpoint: 'https://push.example.com/new', p256dh: 'k', auth: 'x' },
					[
						{ id: 'r9', dueAt: t0 },
						{ id: 'r9', dueAt: t0 + 1 }
					]
				)
			).rejects.toThrow();
			expect(await store.getSubscription('a')).toEqual(testSubscription('a'));
			expect((await store.listReminders('a')).map((s) => s.reminderId)).toEqual(['r1', 'r2']);
		});

		it('answers false when replacing or deleting an unknown subscription', async () => {
			expect(await store.replaceSubscription('nobody', testSubscription('x'), reminders(0))).toBe(
				false
			);
			expect(await store.deleteSubscription('nobody')).toBe(false);
			expect(await store.listReminders('nobody')).toEqual([]);
		});

		it('deletes a subscription with every pending reminder', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0, 10));
			await store.createSubscription(testSubscription('b'), reminders(0));
			expect(await store.deleteSubscription('a')).toBe(true);
			expect(await store.getSubscription('a')).toBeNull();
			expect(await store.listReminders('a')).toEqual([]);
			const claimed = await store.claimDue(t0 + 60 * minute, 10, lease);
			expect(claimed.map((c) => c.subscriptionId)).toEqual(['b']);
		});

		it('ignores outcomes for a reminder deleted while it was being sent', async () => {
			await store.createSubscription(testSubscription('a'), reminders(0));
			const [claimed] = await store.claimDue(t0, 10, lease);
			await store.deleteSubscription('a');
			await store.markSent([{ ...claimed!, sentAt: t0 }]);
			await store.markRetry(claimed!, t0, 1, 'x');
			await store.markFailed(claimed!, 1, 'x');
			expect(await store.listReminders('a')).toEqual([]);
		});
	});
}
