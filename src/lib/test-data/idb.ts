import 'fake-indexeddb/auto';
import { deleteDB, type StoreNames } from 'idb';
import { openCareDb, type CareDb, type CareDbSchema } from '$lib/device/db';

/**
 * A fresh, uniquely named database for one test, opened once on first use.
 * Call `dispose` in `afterEach`.
 */
export function testDatabase(): { open: () => Promise<CareDb>; dispose: () => Promise<void> } {
	const name = `test-${crypto.randomUUID()}`;
	let db: Promise<CareDb> | undefined;
	return {
		open: () => (db ??= openCareDb(name)),
		dispose: async () => {
			(await db)?.close();
			await deleteDB(name);
		}
	};
}

/**
 * Holds `stores` in a read-write transaction that keeps itself busy until released, so every
 * other transaction on them waits: a storage that does not answer, as a transaction WebKit let
 * hang leaves it.
 * @returns releases the stores and waits until the holding transaction has ended
 */
export async function holdStores(
	open: () => Promise<CareDb>,
	stores: StoreNames<CareDbSchema>[]
): Promise<() => Promise<void>> {
	const tx = (await open()).transaction(stores, 'readwrite');
	const store = tx.objectStore(stores[0]!);
	let held = true;
	const busy = (async () => {
		while (held) {
			await store.get('-');
		}
	})();
	return async () => {
		held = false;
		await busy;
		await tx.done;
	};
}
