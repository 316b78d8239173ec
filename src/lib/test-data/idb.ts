import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { openCareDb, type CareDb } from '$lib/device/db';

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
