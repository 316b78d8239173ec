import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { anEntry, aPhoto } from '$lib/test-data/diary';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { testDatabase } from '$lib/test-data/idb';
import {
	BACKUP_FORMAT,
	BackupError,
	checkBackup,
	exportBackup,
	importBackup,
	restoreBackup,
	type BackupProblem
} from './backup';
import { blobOf } from './blob-storage';
import { DB_VERSION, type CareDb, type StoredBlob } from './db';

const now = Date.UTC(2026, 11, 20, 9, 30);

const databases: ReturnType<typeof testDatabase>[] = [];
afterEach(async () => {
	await Promise.all(databases.splice(0).map((database) => database.dispose()));
});

function freshDatabase(): () => Promise<CareDb> {
	const database = testDatabase();
	databases.push(database);
	return database.open;
}

/** Bytes that are not text, so a lossy copy would show. */
function binary(length: number, seed: number): Uint8Array<ArrayBuffer> {
	return Uint8Array.from({ length }, (_, index) => (index * 31 + seed) % 256);
}

/** A patient with something in every store, photos with and without originals included. */
async function seedPatient(open: () => Promise<CareDb>): Promise<void> {
	const db = await open();
	await db.put('treatments', aTreatment());
	await db.put('treatments', aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 }));
	await db.put('completions', { id: 't1:ice-pack:2026-12-15:morning', doneAt: 5 });
	await db.put('settings', {
		key: 'preferences',
		value: somePreferences({ morningTime: '07:30' })
	});
	await db.put('settings', { key: 'screening', value: { acne: 'yes', eczema: 'unsure' } });
	await db.put('settings', { key: 'reached', value: ['t1:consultation:2026-11-14:morning'] });
	await db.put('entries', anEntry({ id: 'e1', symptoms: { redness: 2 }, note: 'tight, "warm"' }));
	await db.put('entries', anEntry({ id: 'e2', date: '2026-12-16', day: 2, care: ['ice-pack'] }));
	await db.put('photos', aPhoto({ hasOriginal: true, inSummary: true }));
	await db.put('photos', aPhoto({ id: 'p/2 é', entryId: 'e2', takenAt: 2 }));
	await db.put('photoData', {
		id: 'p1',
		image: new Blob([binary(2000, 1)], { type: 'image/jpeg' }),
		thumbnail: new Blob([binary(300, 2)], { type: 'image/jpeg' }),
		original: new Blob([binary(5000, 3)], { type: 'image/heic' })
	});
	await db.put('photoData', {
		id: 'p/2 é',
		image: new Blob([binary(1000, 4)], { type: 'image/jpeg' }),
		thumbnail: new Blob([binary(100, 5)]),
		original: null
	});
}

/** Every store, Blobs turned into their type and bytes so that `toEqual` compares them. */
async function dump(open: () => Promise<CareDb>) {
	const db = await open();
	// Read as the app reads them: stored as Blobs or as bytes, they come back as Blobs.
	const blob = async (stored: StoredBlob | null) => {
		const value = stored && blobOf(stored);
		return value && { type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] };
	};
	const photoData = await db.getAll('photoData');
	return {
		treatments: await db.getAll('treatments'),
		completions: await db.getAll('completions'),
		settings: await db.getAll('settings'),
		entries: await db.getAll('entries'),
		photos: await db.getAll('photos'),
		photoData: await Promise.all(
			photoData.map(async (data) => ({
				id: data.id,
				image: await blob(data.image),
				thumbnail: await blob(data.thumbnail),
				original: await blob(data.original)
			}))
		)
	};
}

/** Rewrites files of a backup, as if someone had edited it by hand. */
async function rezip(
	backup: Blob,
	change: (files: Record<string, Uint8Array>) => void
): Promise<Blob> {
	const files = unzipSync(new Uint8Array(await backup.arrayBuffer()));
	change(files);
	return new Blob([zipSync(files)]);
}

function json<T = Record<string, unknown>>(bytes: Uint8Array | undefined): T {
	return JSON.parse(strFromU8(bytes!)) as T;
}

/** CRC-32 as the backup's manifest records it, to forge a consistent manifest. */
function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) {
			crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
		}
	}
	return (crc ^ 0xffffffff) >>> 0;
}

/** Replaces data.json and fixes the manifest to match, so only the records are wrong. */
function withData(files: Record<string, Uint8Array>, data: Record<string, unknown[]>): void {
	const bytes = strToU8(JSON.stringify(data));
	const manifest = json(files['manifest.json']);
	const listed = manifest.files as Record<string, unknown>;
	listed['data.json'] = { size: bytes.length, crc32: crc32(bytes) };
	manifest.counts = Object.fromEntries(
		Object.entries(data).map(([store, records]) => [store, records.length])
	);
	files['data.json'] = bytes;
	files['manifest.json'] = strToU8(JSON.stringify(manifest));
}

async function expectProblem(promise: Promise<unknown>, problem: BackupProblem): Promise<void> {
	const error = await promise.then(
		() => null,
		(error: unknown) => error
	);
	expect(error).toBeInstanceOf(BackupError);
	expect((error as BackupError).problem).toBe(problem);
}

describe('exportBackup', () => {
	it('writes a manifest, the records and every photo file into one zip', async () => {
		const open = freshDatabase();
		await seedPatient(open);
		const backup = await exportBackup(open, now);

		expect(backup.type).toBe('application/zip');
		const files = unzipSync(new Uint8Array(await backup.arrayBuffer()));
		expect(Object.keys(files).sort()).toEqual([
			'data.json',
			'manifest.json',
			'photos/p%2F2%20%C3%A9/image.jpg',
			'photos/p%2F2%20%C3%A9/thumbnail.jpg',
			'photos/p1/image.jpg',
			'photos/p1/original.heic',
			'photos/p1/thumbnail.jpg'
		]);
		expect(json(files['manifest.json'])).toMatchObject({
			format: BACKUP_FORMAT,
			formatVersion: 1,
			dbVersion: DB_VERSION,
			exportedAt: now,
			counts: { treatments: 2, completions: 1, settings: 3, entries: 2, photos: 2, photoData: 2 }
		});
		expect(files['photos/p1/original.heic']).toEqual(binary(5000, 3));
	});

	it('leaves the clinic protocol out: it is not the patient’s', async () => {
		const open = freshDatabase();
		await seedPatient(open);
		await (await open()).put('settings', { key: 'protocol', value: defaultProtocol() });
		const files = unzipSync(new Uint8Array(await (await exportBackup(open, now)).arrayBuffer()));
		const data = json(files['data.json']);
		expect((data.settings as { key: string }[]).map((setting) => setting.key).sort()).toEqual([
			'preferences',
			'reached',
			'screening'
		]);
	});
});

describe('checkBackup, then restoreBackup', () => {
	it('checks a file and says what it holds without writing; the restore then writes it', async () => {
		const from = freshDatabase();
		await seedPatient(from);
		const file = await exportBackup(from, now);
		const to = freshDatabase();
		await (await to()).put('treatments', aTreatment({ id: 'kept', date: '2027-03-01' }));
		const before = await dump(to);

		const checked = await checkBackup(file);
		expect(checked.exportedAt).toBe(now);
		expect(checked.counts).toMatchObject({ treatments: 2, entries: 2, photos: 2 });
		expect(await dump(to)).toEqual(before);

		await restoreBackup(to, checked);
		expect(await dump(to)).toEqual(await dump(from));
	});

	it('refuses a damaged file while checking it', async () => {
		const file = await exportBackup(freshDatabase(), now);
		const bytes = new Uint8Array(await file.arrayBuffer());
		await expectProblem(checkBackup(new Blob([bytes.subarray(0, 40)])), 'damaged');
	});
});

describe('importBackup', () => {
	it('restores every store into a fresh database exactly, photo bytes and types included', async () => {
		const from = freshDatabase();
		await seedPatient(from);
		const backup = await exportBackup(from, now);

		const to = freshDatabase();
		const summary = await importBackup(to, backup);

		expect(await dump(to)).toEqual(await dump(from));
		expect(summary).toEqual({
			exportedAt: now,
			counts: { treatments: 2, completions: 1, settings: 3, entries: 2, photos: 2, photoData: 2 }
		});
	});

	it('replaces what the phone had, but keeps the clinic protocol', async () => {
		const from = freshDatabase();
		await seedPatient(from);
		const backup = await exportBackup(from, now);

		const to = freshDatabase();
		const db = await to();
		await db.put('treatments', aTreatment({ id: 'other', date: '2027-03-01' }));
		await db.put('completions', { id: 'other:x:2027-03-01:morning', doneAt: 9 });
		await db.put('entries', anEntry({ id: 'other-entry', treatmentId: 'other' }));
		await db.put('settings', { key: 'protocol', value: defaultProtocol() });
		await importBackup(to, backup);

		const restored = await dump(to);
		const expected = await dump(from);
		expect(restored.treatments).toEqual(expected.treatments);
		expect(restored.completions).toEqual(expected.completions);
		expect(restored.entries).toEqual(expected.entries);
		expect(restored.settings.map((setting) => setting.key).sort()).toEqual([
			'preferences',
			'protocol',
			'reached',
			'screening'
		]);
	});

	it('restores an empty backup as an empty phone', async () => {
		const backup = await exportBackup(freshDatabase(), now);
		const to = freshDatabase();
		await seedPatient(to);
		await importBackup(to, backup);
		expect(await dump(to)).toEqual({
			treatments: [],
			completions: [],
			settings: [],
			entries: [],
			photos: [],
			photoData: []
		});
	});

	describe('refuses a file it cannot restore and changes nothing', () => {
		let open: () => Promise<CareDb>;
		let before: Awaited<ReturnType<typeof dump>>;
		let backup: Blob;

		async function refuses(file: Blob, problem: BackupProblem, message: RegExp): Promise<void> {
			const attempt = importBackup(open, file);
			await expectProblem(attempt, problem);
			await expect(attempt).rejects.toThrow(message);
			expect(await dump(open)).toEqual(before);
		}

		async function prepare(): Promise<void> {
			const source = freshDatabase();
			await seedPatient(source);
			await (await source()).put('entries', anEntry({ id: 'from-backup' }));
			backup = await exportBackup(source, now);
			open = freshDatabase();
			await seedPatient(open);
			before = await dump(open);
		}

		it('random bytes', async () => {
			await prepare();
			await refuses(new Blob([binary(4096, 7)]), 'foreign', /not an Aftercare Companion backup/);
		});

		it('an empty file', async () => {
			await prepare();
			await refuses(new Blob([]), 'foreign', /not an Aftercare Companion backup/);
		});

		it('the first half of a real backup', async () => {
			await prepare();
			await refuses(
				backup.slice(0, Math.floor(backup.size / 2)),
				'damaged',
				/damaged or incomplete/
			);
		});

		it('a real backup with bytes overwritten in a photo', async () => {
			await prepare();
			const bytes = new Uint8Array(await backup.arrayBuffer());
			const files = unzipSync(bytes);
			// Photos are stored uncompressed, so their bytes appear as is in the zip.
			const photo = files['photos/p1/original.heic']!;
			const at = bytes.findIndex((_, index) =>
				photo.subarray(0, 64).every((byte, offset) => bytes[index + offset] === byte)
			);
			expect(at).toBeGreaterThan(0);
			bytes.fill(0, at + 100, at + 200);
			await refuses(new Blob([bytes]), 'damaged', /damaged or incomplete/);
		});

		it('a zip of something else', async () => {
			await prepare();
			const other = zipSync({ 'notes.txt': strToU8('hello'), 'photo.jpg': binary(50, 1) });
			await refuses(new Blob([other]), 'foreign', /not an Aftercare Companion backup/);
		});

		it('a zip whose manifest.json belongs to something else', async () => {
			await prepare();
			const extension = zipSync({
				'manifest.json': strToU8(JSON.stringify({ manifest_version: 3, name: 'An extension' }))
			});
			await refuses(new Blob([extension]), 'foreign', /not an Aftercare Companion backup/);
		});

		it('a JSON file', async () => {
			await prepare();
			const file = new Blob([JSON.stringify({ treatments: [] })], { type: 'application/json' });
			await refuses(file, 'foreign', /not an Aftercare Companion backup/);
		});

		it('a backup from a newer version of the app', async () => {
			await prepare();
			const newer = await rezip(backup, (files) => {
				const manifest = json(files['manifest.json']);
				files['manifest.json'] = strToU8(JSON.stringify({ ...manifest, formatVersion: 2 }));
			});
			await refuses(newer, 'newer', /newer version of the app/);
		});

		it('a data.json with an invalid entry', async () => {
			await prepare();
			const tampered = await rezip(backup, (files) => {
				const data = json<Record<string, Record<string, unknown>[]>>(files['data.json']);
				data.entries![0] = { ...data.entries![0], day: 'one' };
				withData(files, data);
			});
			await refuses(tampered, 'damaged', /damaged or incomplete/);
		});

		it('a data.json with a field this version does not know', async () => {
			await prepare();
			const tampered = await rezip(backup, (files) => {
				const data = json<Record<string, Record<string, unknown>[]>>(files['data.json']);
				data.treatments![0] = { ...data.treatments![0], surprise: true };
				withData(files, data);
			});
			await refuses(tampered, 'damaged', /damaged or incomplete/);
		});

		it('a data.json edited without fixing the manifest', async () => {
			await prepare();
			const tampered = await rezip(backup, (files) => {
				const data = json(files['data.json']);
				files['data.json'] = strToU8(JSON.stringify({ ...data, completions: [] }));
			});
			await refuses(tampered, 'damaged', /damaged or incomplete/);
		});

		it('a photo without its files', async () => {
			await prepare();
			const tampered = await rezip(backup, (files) => {
				delete files['photos/p1/image.jpg'];
			});
			await refuses(tampered, 'damaged', /damaged or incomplete/);
		});

		it('a photo whose files are not listed', async () => {
			await prepare();
			const tampered = await rezip(backup, (files) => {
				const data = json<Record<string, Record<string, unknown>[]>>(files['data.json']);
				data.photoData = data.photoData!.filter((one) => one.id !== 'p1');
				withData(files, data);
			});
			await refuses(tampered, 'damaged', /damaged or incomplete/);
		});
	});
});

describe('the record of calendar files', () => {
	const calendarExport = (sequence: number) => ({
		key: 'calendarExport' as const,
		value: {
			sequence,
			events: [
				{
					uid: 't1:ice-pack:day0:evening@aftercare-companion',
					start: Date.UTC(2026, 11, 14, 19),
					minutes: 15,
					title: 'Ice pack for irritation and discomfort'
				}
			]
		}
	});

	it('stays out of a backup, and a restore keeps the phone’s own', async () => {
		const from = freshDatabase();
		await seedPatient(from);
		await (await from()).put('settings', calendarExport(1));
		const backup = await exportBackup(from, now);
		const files = unzipSync(new Uint8Array(await backup.arrayBuffer()));
		const settings = json(files['data.json']).settings as { key: string }[];
		expect(settings.map((setting) => setting.key)).not.toContain('calendarExport');

		const to = freshDatabase();
		await (await to()).put('settings', calendarExport(7));
		await importBackup(to, backup);
		expect(await (await to()).get('settings', 'calendarExport')).toEqual(calendarExport(7));
	});
});
