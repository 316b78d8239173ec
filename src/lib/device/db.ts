import {
	openDB,
	type DBSchema,
	type IDBPDatabase,
	type IDBPTransaction,
	type StoreNames
} from 'idb';
import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';
import type { Protocol } from '$lib/domain/protocol';
import type { Preferences, Treatment } from '$lib/domain/schedule';
import type { ScreeningAnswers } from '$lib/domain/screening';

/** Everything the app keeps about the patient lives in this database, on the phone only. */
export const DB_NAME = 'aftercare-companion';

/**
 * Bump with a new step in `upgrades`; never edit an old step, because phones out there are
 * still at every earlier version.
 */
export const DB_VERSION = 2;

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
	| { key: 'protocol'; value: Protocol }
	/** Ids of task occurrences whose time had come when the plan was last changed. */
	| { key: 'reached'; value: string[] };

/** A photo's pixels, apart from its description so that lists stay light. */
export interface PhotoData {
	/** `PhotoMeta.id` */
	id: string;
	/** Downscaled, metadata-free image. */
	image: Blob;
	/** Small version for lists and the summary. */
	thumbnail: Blob;
	/** The file as picked, only when the patient asked to keep it. */
	original: Blob | null;
}

export interface CareDbSchema extends DBSchema {
	treatments: { key: string; value: Treatment };
	completions: { key: string; value: Completion };
	settings: { key: Setting['key']; value: Setting };
	entries: {
		key: string;
		value: DiaryEntry;
		indexes: { byTreatmentDate: [string, string] };
	};
	photos: {
		key: string;
		value: PhotoMeta;
		indexes: {
			byEntry: string;
			byTreatmentArea: [string, string, number];
			byArea: [string, number];
		};
	};
	photoData: { key: string; value: PhotoData };
}

export type CareDb = IDBPDatabase<CareDbSchema>;
type UpgradeTransaction = IDBPTransaction<
	CareDbSchema,
	StoreNames<CareDbSchema>[],
	'versionchange'
>;

/**
 * The schema's history: step N turns a version N-1 database into version N. Exported so the
 * migration test can build a database at every earlier version with the very same steps.
 */
export const upgrades: ((db: CareDb, tx: UpgradeTransaction) => void)[] = [
	// 1: the care plan.
	(db) => {
		db.createObjectStore('treatments', { keyPath: 'id' });
		db.createObjectStore('completions', { keyPath: 'id' });
		db.createObjectStore('settings', { keyPath: 'key' });
	},
	// 2: the recovery diary.
	(db) => {
		const entries = db.createObjectStore('entries', { keyPath: 'id' });
		entries.createIndex('byTreatmentDate', ['treatmentId', 'date']);
		const photos = db.createObjectStore('photos', { keyPath: 'id' });
		photos.createIndex('byEntry', 'entryId');
		photos.createIndex('byTreatmentArea', ['treatmentId', 'area', 'takenAt']);
		photos.createIndex('byArea', ['area', 'takenAt']);
		db.createObjectStore('photoData', { keyPath: 'id' });
	}
];

let opening: Promise<CareDb> | null = null;

/** Opens the database once, creating or upgrading it on first use. */
export function getDb(): Promise<CareDb> {
	opening ??= openCareDb();
	return opening;
}

/**
 * Opens (and upgrades) the database; tests pass their own name and an earlier version.
 * @param name database name, `DB_NAME` in the app
 * @param version the version to open at, `DB_VERSION` in the app
 */
export function openCareDb(name = DB_NAME, version = DB_VERSION): Promise<CareDb> {
	return openDB<CareDbSchema>(name, version, {
		upgrade(db, oldVersion, newVersion, tx) {
			for (let step = oldVersion; step < (newVersion ?? version); step++) {
				upgrades[step]!(db, tx);
			}
		},
		blocking() {
			// A newer version of the app opened in another tab: let it upgrade, reload to follow.
			opening = null;
			location.reload();
		}
	});
}
