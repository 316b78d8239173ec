import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import * as v from 'valibot';
import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';
import { treatmentTypes, type Preferences, type Treatment } from '$lib/domain/schedule';
import { screeningAnswers, type ScreeningAnswers } from '$lib/domain/screening';
import { isDate, isTime, isTimeZone } from '$lib/domain/zoned-time';
import { backupProblemText, type BackupProblem } from './backup-problems';
import type { Completion, PhotoData } from './db';
import {
	patientSettingKeys,
	type PatientSetting,
	type PatientSettingKey
} from './patient-settings';

/**
 * The backup file format: everything the patient has on this phone, in one zip file they can keep
 * elsewhere and restore on this or another phone. Pure: bytes and records in, bytes and records
 * out; backup.ts reads and writes IndexedDB.
 *
 * The file holds `manifest.json` (what the file is, and the size and CRC-32 of every other file,
 * because fflate does not check the zip's own checksums when it unzips), `data.json` (every
 * record) and `photos/<id>/image.jpg|thumbnail.jpg|original.<ext>` (the photos' Blobs, stored
 * uncompressed: they are compressed images already). This module pulls in fflate, so it is only
 * reached through backup.ts, which the UI loads with `import()`: it stays out of the first-load
 * bundle.
 */

/** What `manifest.json` says the file is. */
export const BACKUP_FORMAT = 'aftercare-companion-backup';

/** Bump when `data.json` changes shape; older apps then refuse the file instead of misreading it. */
export const BACKUP_FORMAT_VERSION = 1;

export type { BackupProblem };

/**
 * A file that cannot be restored; `message` is written for the patient, in the language of the
 * moment it was thrown. A screen that stays shows `backupProblemText(problem)` instead, which
 * follows a change of language.
 */
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
		super(backupProblemText(problem));
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

/** What a backup holds: the patient's records, photos as Blobs. */
export interface BackupContents {
	treatments: Treatment[];
	completions: Completion[];
	/** The patient's settings only (see patient-settings.ts). */
	settings: PatientSetting[];
	entries: DiaryEntry[];
	photos: PhotoMeta[];
	photoData: PhotoData[];
}

/** A backup file read and checked. */
export interface DecodedBackup {
	/** When the backup was made, epoch milliseconds. */
	exportedAt: number;
	counts: BackupCounts;
	contents: BackupContents;
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

/** The value schema of every patient setting: a key without one does not compile. */
const settingValueSchemas: {
	[Key in PatientSettingKey]: v.GenericSchema<Extract<PatientSetting, { key: Key }>['value']>;
} = {
	preferences: preferencesSchema,
	screening: screeningSchema,
	reached: v.array(v.string())
};

// Casting: valibot cannot type a variant built from a list; each option is checked above.
const settingSchema = v.variant(
	'key',
	patientSettingKeys.map((key) =>
		v.strictObject({ key: v.literal(key), value: settingValueSchemas[key] })
	)
) as unknown as v.GenericSchema<PatientSetting>;

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
 * Writes a backup file.
 * @param contents the patient's records and photos
 * @param made when the backup is made (epoch milliseconds), and the database version it comes from
 * @returns the zip file, ready to download
 */
export async function encodeBackup(
	contents: BackupContents,
	made: { now: number; dbVersion: number }
): Promise<Blob> {
	const photoFiles: Zippable = {};
	const files: Manifest['files'] = {};
	const add = async (blob: Blob, path: string): Promise<FileRef> => {
		const bytes = new Uint8Array(await blob.arrayBuffer());
		photoFiles[path] = [bytes, { level: 0 }];
		files[path] = { size: bytes.length, crc32: crc32(bytes) };
		return { path, type: blob.type };
	};
	const photoRefs: PhotoFiles[] = [];
	for (const data of contents.photoData) {
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

	const backup: BackupData = { ...contents, photoData: photoRefs };
	const dataBytes = strToU8(JSON.stringify(backup));
	files[DATA] = { size: dataBytes.length, crc32: crc32(dataBytes) };
	const manifest: Manifest = {
		format: BACKUP_FORMAT,
		formatVersion: BACKUP_FORMAT_VERSION,
		dbVersion: made.dbVersion,
		exportedAt: made.now,
		counts: countsOf(backup),
		files
	};
	const zipped = zipSync(
		{
			[MANIFEST]: strToU8(JSON.stringify(manifest, null, '\t')),
			[DATA]: dataBytes,
			...photoFiles
		},
		{ mtime: new Date(made.now) }
	);
	return new Blob([zipped], { type: 'application/zip' });
}

/**
 * Reads a backup file and checks all of it: what it is, every record, every photo's files and
 * checksums.
 * @param zip the file's bytes
 * @throws BackupError when the file is not a backup, is damaged, or is from a newer app
 */
export function decodeBackup(zip: Uint8Array): DecodedBackup {
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
	return {
		exportedAt: manifest.exportedAt,
		counts: manifest.counts,
		contents: {
			...data,
			photoData: data.photoData.map((files) => ({
				id: files.id,
				image: blob(files.image),
				thumbnail: blob(files.thumbnail),
				original: files.original ? blob(files.original) : null
			}))
		}
	};
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

/**
 * CRC-32 (IEEE, as zip uses), as an unsigned integer.
 * @param bytes the data
 */
export function crc32(bytes: Uint8Array): number {
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
