import {
	openDB,
	type DBSchema,
	type IDBPDatabase,
	type IDBPTransaction,
	type StoreNames
} from 'idb';
import type { CalendarExport } from '$lib/domain/calendar';
import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';
import type { Protocol } from '$lib/domain/protocol';
import type { ReminderRecord } from '$lib/domain/reminders';
import type { Preferences, Treatment } from '$lib/domain/schedule';
import type { ScreeningAnswers } from '$lib/domain/screening';

/** Everything the app keeps about the patient lives in this database, on the phone only. */
export const DB_NAME = 'aftercare-companion';

/**
 * Bump with a new step in `upgrades`; never edit an old step, because phones out there are
 * still at every earlier version.
 */
export const DB_VERSION = 3;

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
	/**
	 * The clinic's protocol as last received, for starting offline. `pinned` once the phone uses
	 * it (a plan was built on it, or an enrolment link named it): the phone then asks the server
	 * for that protocol by id, and keeps using this copy if the server no longer has it.
	 */
	| { key: 'protocol'; value: Protocol; pinned?: boolean }
	/** Ids of task occurrences whose time had come when the plan was last changed. */
	| { key: 'reached'; value: string[] }
	/** The device's secret for opaque reminder ids; never leaves the phone, not in backups. */
	| { key: 'reminderSecret'; value: Uint8Array<ArrayBuffer> }
	/** Whether the patient wants push reminders, and the server's registration when made. */
	| { key: 'push'; value: PushSetting }
	/** What the last "Add to calendar" file put in the patient's calendar, for the next to update. */
	| { key: 'calendarExport'; value: CalendarExport };

/** The patient's choice about push reminders and what the push server gave back. */
export interface PushSetting {
	/** The patient turned reminders on (and has not turned them off). */
	wanted: boolean;
	/** The server's registration; null until it answered. */
	server: PushRegistration | null;
}

/** A subscription as the push server registered it. */
export interface PushRegistration {
	id: string;
	/** Bearer token for changing or deleting it. */
	token: string;
	/** The push endpoint it was made for: another one means the browser re-subscribed. */
	endpoint: string;
}

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

/** A Blob's bytes and type, stored where the browser refuses Blobs (see blob-storage.ts). */
export interface StoredBytes {
	bytes: ArrayBuffer;
	type: string;
}

/** A Blob as IndexedDB holds it: the Blob itself, or its bytes. */
export type StoredBlob = Blob | StoredBytes;

/** `PhotoData` as stored; `blob-storage.ts` converts between the two. */
export interface StoredPhotoData {
	id: string;
	image: StoredBlob;
	thumbnail: StoredBlob;
	original: StoredBlob | null;
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
	photoData: { key: string; value: StoredPhotoData };
	/** Mirror of the pending reminders, derived from the plan: not in backups. */
	reminders: { key: string; value: ReminderRecord };
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
	},
	// 3: push reminders: the service worker's copy of their words.
	(db) => {
		db.createObjectStore('reminders', { keyPath: 'id' });
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
 * @param whenBlocking what to do when a newer version waits for this connection to close; the
 *   page reloads, the service worker (which has no page to reload) passes its own
 */
export function openCareDb(
	name = DB_NAME,
	version = DB_VERSION,
	whenBlocking: (db: IDBDatabase) => void = reloadPage
): Promise<CareDb> {
	return openDB<CareDbSchema>(name, version, {
		upgrade(db, oldVersion, newVersion, tx) {
			for (let step = oldVersion; step < (newVersion ?? version); step++) {
				upgrades[step]!(db, tx);
			}
		},
		blocking(_current, _blocked, event) {
			// A newer version of the app opened in another tab: let it upgrade, reload to follow.
			opening = null;
			whenBlocking(event.target as IDBDatabase);
		}
	});
}

function reloadPage(): void {
	// Cast: this module is also type-checked for the service worker, whose `location` has no
	// reload(); the service worker never gets here, it passes its own `whenBlocking`.
	(location as unknown as { reload(): void }).reload();
}
