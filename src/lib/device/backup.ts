import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import * as v from 'valibot';
import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';
import { treatmentTypes, type Preferences, type Treatment } from '$lib/domain/schedule';
import { screeningAnswers, type ScreeningAnswers } from '$lib/domain/screening';
import { isDate, isTime, isTimeZone } from '$lib/domain/zoned-time';
import { canStoreBlobs, fromStoredPhotoData, toStoredPhotoData } from './blob-storage';
import { DB_VERSION, type CareDb, type Completion, type PhotoData, type Setting } from './db';

/**
 * Backup and restore: everything the patient has on this phone, in one zip file they can keep
 * elsewhere and restore on this or another phone.
 *
 * The file holds `manifest.json` (what the file is, and the size and CRC-32 of every other file,
 * because fflate does not check the zip's own checksums when it unzips), `data.json` (every
 * record) and `photos/<id>/image.jpg|thumbnail.jpg|original.<ext>` (the photos' Blobs, stored
 * uncompressed: they are compressed images already). This module pulls in fflate, so the UI loads
 * it with `import()` and it stays out of the first-load bundle.
 */

/** What `manifest.json` says the file is. */
export const BACKUP_FORMAT = 'aftercare-companion-backup';

/** Bump when `data.json` changes shape; older apps then refuse the file instead of misreading it. */
export const BACKUP_FORMAT_VERSION = 1;

/** Why a file cannot be restored. */
export type BackupProblem = 'foreign' | 'damaged' | 'newer';

const messages: Record<BackupProblem, string> = {
	foreign: 'This file is not an Aftercare Companion backup. Nothing on this phone was changed.',
	damaged:
		'This backup is damaged or incomplete, so it cannot be restored. Nothing on this phone was changed.',
	newer:
		'This backup was made by a newer version of the app. Update the app, then restore it again. Nothing on this phone was changed.'
};

/** A file that cannot be restored; `message` is written for the patient and can be shown as is. */
export class BackupError extends Error {
	override name = 'BackupError';

	/**
	 * @param problem what is wrong with the file
	 * @param detail what exactly, for the console (never shown to the patient)
	 */
	constructor(
		readonly problem: BackupProblem,
		readonly detail: string
	) {
		super(messages[problem]);
	}
}

/** How many records a backup holds, or a restore brought back. */
export interface BackupCounts {
	treatments: number;
	completions: number;
	settings: number;
	entries: number;
	photos: number;
	photoData: number;
}

/** What a restore brought back. */
export interface ImportSummary {
	/** When the backup was made, epoch milliseconds. */
	exportedAt: number;
	counts: BackupCounts;
}

// Schemas of every record, mirroring the TypeScript types: strict objects, so a file with fields
// this version does not know is refused rather than stored half-understood.

const id = v.pipe(v.string(), v.nonEmpty(), v.maxLength(200));
const instant = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const date = v.pipe(v.string(), v.check(isDate, 'must be a date'));
const time = v.pipe(v.string(), v.check(isTime, 'must be a time'));
const timeZone = v.pipe(v.string(), v.check(isTimeZone, 'must be a time zone'));
const day = v.pipe(v.number(), v.safeInteger());

const treatmentSchema: v.GenericSchema<Treatment> = v.strictObject({
	id,
	date,
	time,
	timeZone,
	areas: v.array(v.string()),
	type: v.picklist(treatmentTypes),
	needleDepthMm: v.nullable(v.pipe(v.number(), v.finite())),
	seriesNumber: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
	seriesTotal: v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1)))
});

const preferencesSchema: v.GenericSchema<Preferences> = v.strictObject({
	timeZone,
	morningTime: time,
	eveningTime: time,
	quietHours: v.nullable(v.strictObject({ start: time, end: time }))
});

const screeningSchema: v.GenericSchema<ScreeningAnswers> = v.record(
	v.string(),
	v.picklist(screeningAnswers)
);

/**
 * The patient's settings only. The clinic's protocol is not theirs, and not in a backup; the push
 * registration and the reminder-id secret belong to this phone and its browser, not the patient.
 * So does the record of calendar files: it lists what this phone put in the calendar, which a
 * restore does not change, so it stays as it is; an older copy from a backup would make the phone
 * forget events it added since, which it then could never cancel. On a new phone the next file
 * still updates every event in place (UIDs do not depend on the phone, SEQUENCE keeps growing).
 */
type PatientSetting = Exclude<
	Setting,
	{ key: 'protocol' | 'push' | 'reminderSecret' | 'calendarExport' }
>;

const deviceOnlySettings: ReadonlySet<Setting['key']> = new Set([
	'protocol',
	'push',
	'reminderSecret',
	'calendarExport'
]);

const settingSchema: v.GenericSchema<PatientSetting> = v.variant('key', [
	v.strictObject({ key: v.literal('preferences'), value: preferencesSchema }),
	v.strictObject({ key: v.literal('screening'), value: screeningSchema }),
	v.strictObject({ key: v.literal('reached'), value: v.array(v.string()) })
]);

const completionSchema: v.GenericSchema<Completion> = v.strictObject({ id, doneAt: instant });

const entrySchema: v.GenericSchema<DiaryEntry> = v.strictObject({
	id,
	treatmentId: id,
	date,
	day,
	createdAt: instant,
	updatedAt: instant,
	symptoms: v.record(v.string(), count),
	signs: v.array(v.string()),
	care: v.array(v.string()),
	note: v.string()
});

const photoMetaSchema: v.GenericSchema<PhotoMeta> = v.strictObject({
	id,
	entryId: id,
	treatmentId: id,
	date,
	day,
	area: v.string(),
	takenAt: instant,
	width: count,
	height: count,
	bytes: count,
	hasOriginal: v.boolean(),
	inSummary: v.boolean()
});

/** Where one Blob is in the zip, and its MIME type, which the zip itself does not keep. */
const fileRefSchema = v.strictObject({
	path: v.pipe(v.string(), v.startsWith('photos/')),
	type: v.pipe(v.string(), v.maxLength(255))
});
type FileRef = v.InferOutput<typeof fileRefSchema>;

/** The files of one `PhotoData` record. */
const photoFilesSchema = v.strictObject({
	id,
	image: fileRefSchema,
	thumbnail: fileRefSchema,
	original: v.nullable(fileRefSchema)
});
type PhotoFiles = v.InferOutput<typeof photoFilesSchema>;

const dataSchema = v.strictObject({
	treatments: v.array(treatmentSchema),
	completions: v.array(completionSchema),
	settings: v.array(settingSchema),
	entries: v.array(entrySchema),
	photos: v.array(photoMetaSchema),
	photoData: v.array(photoFilesSchema)
});
type BackupData = v.InferOutput<typeof dataSchema>;

const manifestSchema = v.strictObject({
	format: v.literal(BACKUP_FORMAT),
	formatVersion: v.literal(BACKUP_FORMAT_VERSION),
	dbVersion: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
	exportedAt: instant,
	counts: v.strictObject({
		treatments: count,
		completions: count,
		settings: count,
		entries: count,
		photos: count,
		photoData: count
	}),
	/** Every file but the manifest, with its size and CRC-32. */
	files: v.record(v.string(), v.strictObject({ size: count, crc32: count }))
});
type Manifest = v.InferOutput<typeof manifestSchema>;

/** Only what identifies the file, read before anything else so a foreign file is named as such. */
const identitySchema = v.looseObject({
	format: v.literal(BACKUP_FORMAT),
	formatVersion: v.optional(v.unknown())
});

const MANIFEST = 'manifest.json';
const DATA = 'data.json';

/**
 * Writes everything the patient has on this phone into one zip file: treatments, ticks, reminder
 * preferences, screening answers, diary entries and photos (originals too, when kept). The
 * clinic's protocol is left out: it is not the patient's, and the server sends it again.
 * @param open opens the database, e.g. `getDb`
 * @param now when the backup is made, epoch milliseconds
 * @returns the zip file, ready to download
 */
export async function exportBackup(open: () => Promise<CareDb>, now: number): Promise<Blob> {
	const db = await open();
	// One read-only transaction, so the backup is a consistent snapshot.
	const tx = db.transaction([
		'treatments',
		'completions',
		'settings',
		'entries',
		'photos',
		'photoData'
	]);
	const [treatments, completions, settings, entries, photos, storedPhotoData] = await Promise.all([
		tx.objectStore('treatments').getAll(),
		tx.objectStore('completions').getAll(),
		tx.objectStore('settings').getAll(),
		tx.objectStore('entries').getAll(),
		tx.objectStore('photos').getAll(),
		tx.objectStore('photoData').getAll(),
		tx.done
	]);

	const photoFiles: Zippable = {};
	const files: Manifest['files'] = {};
	const add = async (blob: Blob, path: string): Promise<FileRef> => {
		const bytes = new Uint8Array(await blob.arrayBuffer());
		photoFiles[path] = [bytes, { level: 0 }];
		files[path] = { size: bytes.length, crc32: crc32(bytes) };
		return { path, type: blob.type };
	};
	const photoRefs: PhotoFiles[] = [];
	// Stored as Blobs or, where the browser refuses Blobs, as bytes: read as Blobs either way.
	for (const data of storedPhotoData.map(fromStoredPhotoData)) {
		const folder = `photos/${encodeURIComponent(data.id)}`;
		photoRefs.push({
			id: data.id,
			image: await add(data.image, `${folder}/image.jpg`),
			thumbnail: await add(data.thumbnail, `${folder}/thumbnail.jpg`),
			original: data.original
				? await add(data.original, `${folder}/original.${extension(data.original.type)}`)
				: null
		});
	}

	const backup: BackupData = {
		treatments,
		completions,
		settings: settings.filter(
			(setting): setting is PatientSetting => !deviceOnlySettings.has(setting.key)
		),
		entries,
		photos,
		photoData: photoRefs
	};
	const dataBytes = strToU8(JSON.stringify(backup));
	files[DATA] = { size: dataBytes.length, crc32: crc32(dataBytes) };
	const manifest: Manifest = {
		format: BACKUP_FORMAT,
		formatVersion: BACKUP_FORMAT_VERSION,
		dbVersion: DB_VERSION,
		exportedAt: now,
		counts: countsOf(backup),
		files
	};
	const zipped = zipSync(
		{
			[MANIFEST]: strToU8(JSON.stringify(manifest, null, '\t')),
			[DATA]: dataBytes,
			...photoFiles
		},
		{ mtime: new Date(now) }
	);
	return new Blob([zipped], { type: 'application/zip' });
}

/**
 * Replaces everything the patient has on this phone with a backup, all or nothing. The whole file
 * is unzipped and checked first (what it is, every record, every photo's files and checksums);
 * only then are the patient's stores cleared and refilled, in one transaction, so a bad file or a
 * failed write leaves the phone as it was. The clinic's protocol is kept.
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
	const zip = new Uint8Array(await file.arrayBuffer());
	const head = unzip(zip, (name) => name === MANIFEST || name === DATA);
	const manifestBytes = head[MANIFEST];
	if (!manifestBytes) {
		throw new BackupError('foreign', `no ${MANIFEST}`);
	}
	const manifestJson = parseJson(manifestBytes, MANIFEST);
	const identity = v.safeParse(identitySchema, manifestJson);
	if (!identity.success) {
		throw new BackupError('foreign', `${MANIFEST} names another format`);
	}
	const { formatVersion } = identity.output;
	if (typeof formatVersion === 'number' && formatVersion > BACKUP_FORMAT_VERSION) {
		throw new BackupError('newer', `format version ${formatVersion}`);
	}
	const manifest = check(manifestSchema, manifestJson, MANIFEST);

	const data = check(dataSchema, parseJson(verified(manifest, DATA, head[DATA]), DATA), DATA);
	checkConsistency(manifest, data);

	const photoPaths = new Set(Object.keys(manifest.files).filter((name) => name !== DATA));
	const unzipped = unzip(zip, (name) => photoPaths.has(name));
	const blob = (ref: FileRef): Blob =>
		new Blob([verified(manifest, ref.path, unzipped[ref.path])], { type: ref.type });
	// Every Blob is made, and made storable, before the transaction opens: nothing may be awaited
	// inside it.
	const photoData: PhotoData[] = data.photoData.map((files) => ({
		id: files.id,
		image: blob(files.image),
		thumbnail: blob(files.thumbnail),
		original: files.original ? blob(files.original) : null
	}));
	const asBlobs = await blobsStorable();
	const storedPhotoData = await Promise.all(
		photoData.map((record) => toStoredPhotoData(record, asBlobs))
	);

	const db = await open();
	const tx = db.transaction(
		['treatments', 'completions', 'settings', 'entries', 'photos', 'photoData'],
		'readwrite'
	);
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
		settings.delete('preferences'),
		settings.delete('screening'),
		settings.delete('reached'),
		entries.clear(),
		photos.clear(),
		photoStore.clear(),
		...data.treatments.map((record) => treatments.put(record)),
		...data.completions.map((record) => completions.put(record)),
		...data.settings.map((record) => settings.put(record)),
		...data.entries.map((record) => entries.put(record)),
		...data.photos.map((record) => photos.put(record)),
		...storedPhotoData.map((record) => photoStore.put(record)),
		tx.done
	]);
	return { exportedAt: manifest.exportedAt, counts: manifest.counts };
}

function countsOf(data: BackupData): BackupCounts {
	return {
		treatments: data.treatments.length,
		completions: data.completions.length,
		settings: data.settings.length,
		entries: data.entries.length,
		photos: data.photos.length,
		photoData: data.photoData.length
	};
}

/** Unzips the files `wanted` picks; a file that is not a zip at all is foreign, else damaged. */
function unzip(
	zip: Uint8Array,
	wanted: (name: string) => boolean
): Partial<Record<string, Uint8Array<ArrayBuffer>>> {
	try {
		// Casting: fflate copies or inflates every file into a new ArrayBuffer, never a shared one.
		return unzipSync(zip, { filter: (file) => wanted(file.name) }) as Record<
			string,
			Uint8Array<ArrayBuffer>
		>;
	} catch (error) {
		// Every zip starts with a local file header, "PK\3\4": a file that does is one that broke.
		const isZip = zip[0] === 0x50 && zip[1] === 0x4b && zip[2] === 0x03 && zip[3] === 0x04;
		throw new BackupError(isZip ? 'damaged' : 'foreign', `unzip: ${String(error)}`);
	}
}

function parseJson(bytes: Uint8Array, name: string): unknown {
	try {
		return JSON.parse(strFromU8(bytes));
	} catch (error) {
		throw new BackupError('damaged', `${name}: ${String(error)}`);
	}
}

function check<T>(schema: v.GenericSchema<unknown, T>, value: unknown, name: string): T {
	const result = v.safeParse(schema, value);
	if (!result.success) {
		const issue = result.issues[0];
		throw new BackupError('damaged', `${name} ${v.getDotPath(issue) ?? ''}: ${issue.message}`);
	}
	return result.output;
}

/** The file's bytes, once they are there and match the size and checksum the manifest gives. */
function verified(
	manifest: Manifest,
	path: string,
	bytes: Uint8Array<ArrayBuffer> | undefined
): Uint8Array<ArrayBuffer> {
	const expected = manifest.files[path];
	if (!bytes || !expected) {
		throw new BackupError('damaged', `${path} is missing`);
	}
	if (bytes.length !== expected.size || crc32(bytes) !== expected.crc32) {
		throw new BackupError('damaged', `${path} does not match its checksum`);
	}
	return bytes;
}

/** What the schemas cannot see: counts, unique keys, and a file for every photo. */
function checkConsistency(manifest: Manifest, data: BackupData): void {
	const counts = countsOf(data);
	for (const [store, expected] of Object.entries(manifest.counts)) {
		if (counts[store as keyof BackupCounts] !== expected) {
			throw new BackupError('damaged', `${store}: ${counts[store as keyof BackupCounts]} records`);
		}
	}
	const keyed: [string, string[]][] = [
		['treatments', data.treatments.map((record) => record.id)],
		['completions', data.completions.map((record) => record.id)],
		['settings', data.settings.map((record) => record.key)],
		['entries', data.entries.map((record) => record.id)],
		['photos', data.photos.map((record) => record.id)],
		['photoData', data.photoData.map((record) => record.id)]
	];
	for (const [store, keys] of keyed) {
		if (new Set(keys).size !== keys.length) {
			throw new BackupError('damaged', `${store}: duplicate keys`);
		}
	}
	const withFiles = new Set(data.photoData.map((files) => files.id));
	const missing = data.photos.find((photo) => !withFiles.has(photo.id));
	if (missing) {
		throw new BackupError('damaged', `photo ${missing.id} has no files`);
	}
	const referenced = data.photoData.flatMap((files) =>
		[files.image, files.thumbnail, files.original].flatMap((ref) => (ref ? [ref.path] : []))
	);
	const listed = Object.keys(manifest.files).filter((name) => name !== DATA);
	if (
		new Set(referenced).size !== referenced.length ||
		referenced.length !== listed.length ||
		referenced.some((path) => !(path in manifest.files))
	) {
		throw new BackupError('damaged', 'the photo files do not match the manifest');
	}
}

const extensions: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/heic': 'heic',
	'image/heif': 'heif',
	'image/avif': 'avif',
	'image/gif': 'gif'
};

/** A file name extension for an original photo, so it opens when the zip is unpacked by hand. */
function extension(type: string): string {
	return extensions[type.toLowerCase()] ?? 'bin';
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE, as zip uses), as an unsigned integer. */
function crc32(bytes: Uint8Array): number {
	crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
		let c = n;
		for (let bit = 0; bit < 8; bit++) {
			c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		}
		return c >>> 0;
	});
	let crc = 0xffffffff;
	for (let index = 0; index < bytes.length; index++) {
		crc = crcTable[(crc ^ bytes[index]!) & 0xff]! ^ (crc >>> 8);
	}
	return (crc ^ 0xffffffff) >>> 0;
}
