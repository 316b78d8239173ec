import { describe, expect, it, vi } from 'vitest';
import { StorageTimeoutError, withinTime } from './storage-timeout';

describe('withinTime', () => {
	it('passes on what the work gives when it ends in time', async () => {
		await expect(withinTime(Promise.resolve('saved'), 50)).resolves.toBe('saved');
		await expect(withinTime(Promise.reject(new Error('full')), 50)).rejects.toThrow('full');
	});

	it('gives up after the time, says so in words for the patient, and aborts the work', async () => {
		const abort = vi.fn();
		const never = new Promise<never>(() => {});
		const waited = withinTime(never, 20, abort);
		await expect(waited).rejects.toBeInstanceOf(StorageTimeoutError);
		await expect(waited).rejects.toThrow('Your phone’s storage did not answer.');
		expect(abort).toHaveBeenCalledOnce();
	});

	it('still times out when aborting throws, and drops a late failure of the work', async () => {
		let fail: (error: Error) => void = () => {};
		const late = new Promise<never>((_, reject) => (fail = reject));
		const waited = withinTime(late, 20, () => {
			throw new DOMException('The transaction is inactive or finished.', 'InvalidStateError');
		});
		await expect(waited).rejects.toBeInstanceOf(StorageTimeoutError);
		// Would be an unhandled rejection (and fail the run) if nobody listened any more.
		fail(new Error('aborted'));
		await new Promise((resolve) => setTimeout(resolve, 10));
	});
});
