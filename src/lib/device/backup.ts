import { canStoreBlobs, fromStoredPhotoData, toStoredPhotoData } from './blob-storage';
import { decodeBackup, encodeBackup, type BackupCounts, type DecodedBackup } from './backup-format';
import { DB_VERSION, type CareDb } from './db';
import { isPatientSetting, patientSettingKeys } from './patient-settings';

/**
 * Backup and restore between this phone's IndexedDB and a backup file (its format: backup-format.ts).
 * It pulls in fflate, so the UI loads this module with `import()` when the patient exports or picks
 * a file: it stays out of the first-load bundle.
 */

// The UI loads only this module: what it needs of the format comes through here.
export {
	BACKUP_FORMAT,
	BACKUP_FORMAT_VERSION,
	BackupError,
	type BackupCounts,
	type BackupProblem
} from './backup-format';

/** The patient's stores, all of which a backup holds. */
const patientStores = [
	'treatments',
	'completions',
	'settings',
	'entries',
	'photos',
	'photoData'
] as const;

/** What a restore brought back. */
export interface ImportSummary {
	/** When the backup was made, epoch milliseconds. */
	exportedAt: number;
	counts: BackupCounts;
}

/**
 * Writes everything the patient has on this phone into one zip file: treatments, ticks, reminder
 * preferences, screening answers, diary entries and photos (originals too, when kept). The
 * clinic's protocol and this phone's own settings are left out (patient-settings.ts).
 * @param open opens the database, e.g. `getDb`
 * @param now when the backup is made, epoch milliseconds
 * @returns the zip file, ready to download
 */
export async function exportBackup(open: () => Promise<CareDb>, now: number): Promise<Blob> {
	const db = await open();
	// One read-only transaction, so the backup is a consistent snapshot.
	const tx = db.transaction(patientStores);
	const [treatments, completions, settings, entries, photos, storedPhotoData] = await Promise.all([
		tx.objectStore('treatments').getAll(),
		tx.objectStore('completions').getAll(),
		tx.objectStore('settings').getAll(),
		tx.objectStore('entries').getAll(),
		tx.objectStore('photos').getAll(),
		tx.objectStore('photoData').getAll(),
		tx.done
	]);
	return encodeBackup(
		{
			treatments,
			completions,
			settings: settings.filter(isPatientSetting),
			entries,
			photos,
			// Stored as Blobs or, where the browser refuses Blobs, as bytes: read as Blobs either way.
			photoData: storedPhotoData.map(fromStoredPhotoData)
		},
		{ now, dbVersion: DB_VERSION }
	);
}

/** A backup file read and checked whole, not yet written: what the restore question names. */
export type CheckedBackup = DecodedBackup;

/**
 * Reads a backup file and checks all of it (what it is, every record, every photo's files and
 * checksums) without writing anything, so the patient can be told what it holds before being
 * asked to restore it.
 * @param file the backup file the patient picked
 * @throws BackupError when the file is not a backup, is damaged, or is from a newer app
 */
export async function checkBackup(file: Blob): Promise<CheckedBackup> {
	return decodeBackup(new Uint8Array(await file.arrayBuffer()));
}

/**
 * Replaces everything the patient has on this phone with a backup, all or nothing. The whole file
 * is unzipped and checked first (checkBackup); only then are the patient's stores cleared and
 * refilled, in one transaction, so a bad file or a failed write leaves the phone as it was. The
 * clinic's protocol and this phone's own settings are kept.
 * @param open opens the database, e.g. `getDb`
 * @param file the backup file the patient picked
 * @param blobsStorable whether this browser stores Blobs (else photos are stored as bytes)
 * @throws BackupError when the file is not a backup, is damaged, or is from a newer app
 */
export async function importBackup(
	open: () => Promise<CareDb>,
	file: Blob,
	blobsStorable: () => Promise<boolean> = canStoreBlobs
): Promise<ImportSummary> {
	return restoreBackup(open, await checkBackup(file), blobsStorable);
}

/**
 * Replaces everything the patient has on this phone with a checked backup, in one transaction:
 * a failed write leaves the phone as it was. The clinic's protocol and this phone's own settings
 * are kept.
 * @param open opens the database, e.g. `getDb`
 * @param backup what checkBackup read
 * @param blobsStorable whether this browser stores Blobs (else photos are stored as bytes)
 */
export async function restoreBackup(
	open: () => Promise<CareDb>,
	{ exportedAt, counts, contents }: CheckedBackup,
	blobsStorable: () => Promise<boolean> = canStoreBlobs
): Promise<ImportSummary> {
	// Every record is made storable before the transaction opens: nothing may be awaited inside it.
	const asBlobs = await blobsStorable();
	const storedPhotoData = await Promise.all(
		contents.photoData.map((record) => toStoredPhotoData(record, asBlobs))
	);

	const db = await open();
	const tx = db.transaction(patientStores, 'readwrite');
	const treatments = tx.objectStore('treatments');
	const completions = tx.objectStore('completions');
	const settings = tx.objectStore('settings');
	const entries = tx.objectStore('entries');
	const photos = tx.objectStore('photos');
	const photoStore = tx.objectStore('photoData');
	// Requests run in the order they are made, so each store is cleared before it is refilled.
	await Promise.all([
		treatments.clear(),
		completions.clear(),
		// The clinic's protocol stays: it is not the patient's, and the app needs it offline.
		...patientSettingKeys.map((key) => settings.delete(key)),
		entries.clear(),
		photos.clear(),
		photoStore.clear(),
		...contents.treatments.map((record) => treatments.put(record)),
		...contents.completions.map((record) => completions.put(record)),
		...contents.settings.map((record) => settings.put(record)),
		...contents.entries.map((record) => entries.put(record)),
		...contents.photos.map((record) => photos.put(record)),
		...storedPhotoData.map((record) => photoStore.put(record)),
		tx.done
	]);
	return { exportedAt, counts };
}
