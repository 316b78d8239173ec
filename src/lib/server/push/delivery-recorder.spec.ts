import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixedDispatchSettings } from '../config';
import type { Delivery } from '../store/types';
import { DeliveryRecorder } from './delivery-recorder';

const t0 = Date.UTC(2026, 4, 4, 17);

const delivery = (reminderId: string, sentAt = Date.now()): Delivery => ({
	subscriptionId: 'sub-1',
	reminderId,
	leaseUntil: t0 + 120_000,
	sentAt
});

/** A store that records each write (when, and which reminders), taking `writeMs` for each. */
function recordingStore(writeMs = 0) {
	const writes: { at: number; ids: string[] }[] = [];
	let writing = 0;
	let overlapped = false;
	let failing: Error | null = null;
	return {
		writes,
		overlapped: () => overlapped,
		failWith: (error: Error | null) => (failing = error),
		markSent: vi.fn(async (deliveries: readonly Delivery[]) => {
			overlapped ||= writing > 0;
			writing += 1;
			try {
				if (writeMs > 0) {
					await new Promise((resolve) => setTimeout(resolve, writeMs));
				}
				if (failing) {
					throw failing;
				}
				writes.push({ at: Date.now() - t0, ids: deliveries.map((one) => one.reminderId) });
			} finally {
				writing -= 1;
			}
		})
	};
}

beforeEach(() => {
	vi.useFakeTimers({ now: t0 });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('DeliveryRecorder', () => {
	it('takes its defaults from the configuration', async () => {
		const store = recordingStore();
		const recorder = new DeliveryRecorder({ store });
		await recorder.add(delivery('r1'));
		await vi.advanceTimersByTimeAsync(fixedDispatchSettings.recordDelayMs - 1);
		expect(store.writes).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(store.writes).toEqual([{ at: fixedDispatchSettings.recordDelayMs, ids: ['r1'] }]);
	});

	it('writes `delayMs` after the first delivery, with every one that came meanwhile', async () => {
		const store = recordingStore();
		const recorder = new DeliveryRecorder({ store, delayMs: 10 });
		for (const [at, id] of [
			[0, 'a'],
			[4, 'b'],
			[9, 'c'],
			[12, 'd']
		] as const) {
			await vi.advanceTimersByTimeAsync(at - (Date.now() - t0));
			await recorder.add(delivery(id));
		}
		await vi.advanceTimersByTimeAsync(30);
		expect(store.writes).toEqual([
			{ at: 10, ids: ['a', 'b', 'c'] },
			{ at: 22, ids: ['d'] }
		]);
		expect(recorder.pending).toBe(0);
	});

	it('writes at once, and makes the sender wait, when a batch has piled up', async () => {
		const store = recordingStore(5);
		const recorder = new DeliveryRecorder({ store, delayMs: 1000, batchSize: 3 });
		await recorder.add(delivery('a'));
		await recorder.add(delivery('b'));
		let added = false;
		const third = recorder.add(delivery('c')).then(() => (added = true));
		await vi.advanceTimersByTimeAsync(4);
		expect(added).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		await third;
		expect(store.writes).toEqual([{ at: 5, ids: ['a', 'b', 'c'] }]);
	});

	it('writes one batch at a time to a slow store, and the next takes what came meanwhile', async () => {
		const store = recordingStore(15);
		const recorder = new DeliveryRecorder({ store, delayMs: 5 });
		for (let index = 0; index < 10; index++) {
			await recorder.add(delivery(`r${index}`));
			await vi.advanceTimersByTimeAsync(2);
		}
		await vi.advanceTimersByTimeAsync(100);
		expect(store.overlapped()).toBe(false);
		const ids = store.writes.flatMap((write) => write.ids);
		expect(ids).toEqual(Array.from({ length: 10 }, (_, index) => `r${index}`));
		expect(store.writes.length).toBeGreaterThan(1);
		expect(store.writes.length).toBeLessThan(5);
	});

	it('flush() writes everything now, a batch per transaction', async () => {
		const store = recordingStore();
		const recorder = new DeliveryRecorder({ store, delayMs: 1000, batchSize: 4 });
		for (let index = 0; index < 3; index++) {
			await recorder.add(delivery(`r${index}`));
		}
		await recorder.flush();
		expect(store.writes).toEqual([{ at: 0, ids: ['r0', 'r1', 'r2'] }]);
		// The timer of the write it replaced does nothing.
		await vi.advanceTimersByTimeAsync(2000);
		expect(store.markSent).toHaveBeenCalledTimes(1);
	});

	it('keeps what a failed write took, and writes it with the next', async () => {
		const store = recordingStore();
		const recorder = new DeliveryRecorder({ store, delayMs: 10 });
		store.failWith(new Error('SQLITE_BUSY'));
		await recorder.add(delivery('a'));
		await vi.advanceTimersByTimeAsync(10);
		expect(recorder.takeError()?.error).toEqual(new Error('SQLITE_BUSY'));
		// Reported once.
		expect(recorder.takeError()).toBeNull();
		expect(recorder.pending).toBe(1);
		await expect(recorder.flush()).rejects.toThrow('SQLITE_BUSY');
		expect(recorder.pending).toBe(1);

		store.failWith(null);
		await recorder.add(delivery('b'));
		await recorder.flush();
		expect(store.writes).toEqual([{ at: 10, ids: ['a', 'b'] }]);
	});

	it('keeps at most `maxUnrecorded` while the store is down', async () => {
		const store = recordingStore();
		const recorder = new DeliveryRecorder({ store, delayMs: 10, batchSize: 2, maxUnrecorded: 3 });
		store.failWith(new Error('down'));
		for (let index = 0; index < 6; index++) {
			await recorder.add(delivery(`r${index}`)).catch(() => {});
		}
		// The others come back when their leases end.
		expect(recorder.pending).toBe(3);
		store.failWith(null);
		await recorder.flush();
		const ids = store.writes.flatMap((write) => write.ids);
		expect(ids).toHaveLength(3);
		expect(new Set(ids).size).toBe(3);
	});
});
