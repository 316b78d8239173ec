import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Protocol } from '$lib/domain/protocol';
import type { Preferences, Treatment } from '$lib/domain/schedule';
import type { ScreeningAnswers } from '$lib/domain/screening';

/** Everything the app keeps about the patient lives in this database, on the phone only. */
export const DB_NAME = 'aftercare-companion';

/**
 * Bump with a new `if (oldVersion < N)` step in `upgrade`; never edit an old step, because
 * phones out there are still at every earlier version.
 */
export const DB_VERSION = 1;

/** A task occurrence the patient ticked off. */
export interface Completion {
	/** `PlannedTask.id` */
	id: string;
	doneAt: number;
}

/** Small single records, one per key. */
export type Setting =
	| { key: 'preferences'; value: Preferences }
	| { key: 'screening'; value: ScreeningAnswers }
	/** The clinic's protocol as last received, for starting offline. */
	| { key: 'protocol'; value: Protocol };

export interface CareDbSchema extends DBSchema {
	treatments: { key: string; value: Treatment };
	completions: { key: string; value: Completion };
	settings: { key: Setting['key']; value: Setting };
}

export type CareDb = IDBPDatabase<CareDbSchema>;

let opening: Promise<CareDb> | null = null;

/** Opens the database once, creating or upgrading it on first use. */
export function getDb(): Promise<CareDb> {
	opening ??= openCareDb();
	return opening;
}

/**
 * Opens (and upgrades) the database; exported for tests, which use their own name.
 * @param name database name, `DB_NAME` in the app
 */
export function openCareDb(name = DB_NAME): Promise<CareDb> {
	return openDB<CareDbSchema>(name, DB_VERSION, {
		upgrade(db, oldVersion) {
			if (oldVersion < 1) {
				db.createObjectStore('treatments', { keyPath: 'id' });
				db.createObjectStore('completions', { keyPath: 'id' });
				db.createObjectStore('settings', { keyPath: 'key' });
			}
		},
		blocking() {
			// A newer version of the app opened in another tab: let it upgrade, reload to follow.
			opening = null;
			location.reload();
		}
	});
}
