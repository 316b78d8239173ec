/**
 * How long one step of the phone's storage (IndexedDB) may take before the app stops waiting and
 * says so. A step normally takes milliseconds; a transaction that never ends (WebKit's private
 * browsing did this with photos) would otherwise leave a button greyed out for ever.
 */
export const STORAGE_TIMEOUT_MS = 10_000;

/** The phone's storage did not answer in time; `message` is written for the patient. */
export class StorageTimeoutError extends Error {
	override name = 'StorageTimeoutError';

	constructor() {
		super(
			'Your phone’s storage did not answer. Close the app and open it again, then try once more.'
		);
	}
}

/**
 * Waits for `work`, but no longer than `ms`: then calls `onTimeout` (e.g. to abort the
 * transaction) and rejects with a `StorageTimeoutError`. A late result of `work` is dropped.
 */
export function withinTime<T>(work: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			try {
				onTimeout?.();
			} catch {
				// A transaction that has hung cannot be aborted either; the error says enough.
			}
			reject(new StorageTimeoutError());
		}, ms);
		work.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				clearTimeout(timer);
				reject(error);
			}
		);
	});
}
