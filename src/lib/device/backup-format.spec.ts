import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { anEntry, aPhoto } from '$lib/test-data/diary';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import {
	BACKUP_FORMAT,
	BackupError,
	crc32,
	decodeBackup,
	encodeBackup,
	type BackupContents,
	type BackupProblem
} from './backup-format';

const now = Date.UTC(2026, 11, 20, 9, 30);
const made = { now, dbVersion: 3 };

function binary(length: number, seed: number): Uint8Array<ArrayBuffer> {
	return Uint8Array.from({ length }, (_, index) => (index * 31 + seed) % 256);
}

function contents(): BackupContents {
	return {
		treatments: [aTreatment()],
		completions: [{ id: 't1:ice-pack:2026-12-15:morning', doneAt: 5 }],
		settings: [
			{ key: 'preferences', value: somePreferences() },
			{ key: 'screening', value: { acne: 'yes' } },
			{ key: 'reached', value: ['t1:consultation:2026-11-14:morning'] }
		],
		entries: [anEntry({ id: 'e1' })],
		photos: [aPhoto({ hasOriginal: true })],
		photoData: [
			{
				id: 'p1',
				image: new Blob([binary(2000, 1)], { type: 'image/jpeg' }),
				thumbnail: new Blob([binary(300, 2)], { type: 'image/jpeg' }),
				original: new Blob([binary(5000, 3)], { type: 'image/heic' })
			}
		]
	};
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
	return new Uint8Array(await blob.arrayBuffer());
}

function problemOf(run: () => unknown): BackupProblem | null {
	try {
		run();
		return null;
	} catch (error) {
		expect(error).toBeInstanceOf(BackupError);
		return (error as BackupError).problem;
	}
}

describe('crc32', () => {
	it('is the IEEE CRC-32 zip uses', () => {
		expect(crc32(strToU8('123456789'))).toBe(0xcbf43926);
		expect(crc32(new Uint8Array())).toBe(0);
	});
});

describe('encodeBackup and decodeBackup', () => {
	it('round-trip every record and photo, bytes and types included', async () => {
		const original = contents();
		const file = await encodeBackup(original, made);
		const decoded = decodeBackup(await bytesOf(file));

		expect(decoded.exportedAt).toBe(now);
		expect(decoded.counts).toEqual({
			treatments: 1,
			completions: 1,
			settings: 3,
			entries: 1,
			photos: 1,
			photoData: 1
		});
		const { photoData, ...records } = decoded.contents;
		const { photoData: originalPhotoData, ...originalRecords } = original;
		expect(records).toEqual(originalRecords);
		const [photo] = photoData;
		const [originalPhoto] = originalPhotoData;
		expect(photo?.original?.type).toBe('image/heic');
		expect(await bytesOf(photo!.original!)).toEqual(await bytesOf(originalPhoto!.original!));
		expect(await bytesOf(photo!.image)).toEqual(binary(2000, 1));
	});

	it('names the format and the database version in the manifest', async () => {
		const files = unzipSync(await bytesOf(await encodeBackup(contents(), made)));
		expect(JSON.parse(strFromU8(files['manifest.json']!))).toMatchObject({
			format: BACKUP_FORMAT,
			formatVersion: 1,
			dbVersion: 3,
			exportedAt: now
		});
	});

	it('calls a file that is not a backup foreign, and a newer one newer', async () => {
		expect(problemOf(() => decodeBackup(binary(100, 1)))).toBe('foreign');
		expect(problemOf(() => decodeBackup(zipSync({ 'a.txt': strToU8('hi') })))).toBe('foreign');
		const files = unzipSync(await bytesOf(await encodeBackup(contents(), made)));
		const manifest = JSON.parse(strFromU8(files['manifest.json']!));
		files['manifest.json'] = strToU8(JSON.stringify({ ...manifest, formatVersion: 2 }));
		expect(problemOf(() => decodeBackup(zipSync(files)))).toBe('newer');
	});

	it('calls a file whose bytes do not match the manifest damaged', async () => {
		const files = unzipSync(await bytesOf(await encodeBackup(contents(), made)));
		files['photos/p1/thumbnail.jpg'] = binary(300, 9);
		expect(problemOf(() => decodeBackup(zipSync(files)))).toBe('damaged');
	});

	it('refuses settings that are not the patient’s', async () => {
		const files = unzipSync(await bytesOf(await encodeBackup(contents(), made)));
		const data = JSON.parse(strFromU8(files['data.json']!));
		data.settings[0] = { key: 'push', value: { wanted: true, server: null } };
		const bytes = strToU8(JSON.stringify(data));
		const manifest = JSON.parse(strFromU8(files['manifest.json']!));
		manifest.files['data.json'] = { size: bytes.length, crc32: crc32(bytes) };
		files['data.json'] = bytes;
		files['manifest.json'] = strToU8(JSON.stringify(manifest));
		expect(problemOf(() => decodeBackup(zipSync(files)))).toBe('damaged');
	});
});
