import { afterEach, describe, expect, it } from 'vitest';
import { aPhoto } from '$lib/test-data/diary';
import { testDatabase } from '$lib/test-data/idb';
import {
	BLOB_PROBE_DB,
	blobOf,
	fromStoredPhotoData,
	probeBlobStorage,
	toStoredPhotoData
} from './blob-storage';
import { exportBackup, importBackup } from './backup';
import { DiaryStore } from './diary-store';

const databases: ReturnType<typeof testDatabase>[] = [];
afterEach(async () => {
	await Promise.all(databases.splice(0).map((database) => database.dispose()));
});

function freshDatabase() {
	const database = testDatabase();
	databases.push(database);
	return database.open;
}

/** Fires a request's or transaction's handler later, as IndexedDB does. */
function later(fire: () => void): void {
	setTimeout(fire, 1);
}

/**
 * The part of `indexedDB` the probe uses, behaving as WebKit's private browsing does with a Blob:
 * the put fails, its error reaches the transaction, and the transaction then neither completes
 * nor aborts. (The real thing runs in tests/webkit.)
 */
function refusingBlobsLikeWebKitPrivate(): IDBFactory {
	const tx: Partial<IDBTransaction> & Record<string, unknown> = {
		objectStore: () =>
			({
				put: () => {
					const request: Record<string, unknown> = {};
					later(() => {
						(request.onerror as (() => void) | undefined)?.();
						(tx.onerror as (() => void) | undefined)?.();
					});
					return request;
				}
			}) as unknown as IDBObjectStore
	};
	return {
		open: () => {
			const request: Record<string, unknown> = {};
			later(() => {
				request.result = { createObjectStore: () => {}, transaction: () => tx, close: () => {} };
				(request.onupgradeneeded as () => void)();
				(request.onsuccess as () => void)();
			});
			return request;
		},
		deleteDatabase: () => ({})
	} as unknown as IDBFactory;
}

/** An `indexedDB` whose open never answers. */
function neverAnswering(): IDBFactory {
	return { open: () => ({}), deleteDatabase: () => ({}) } as unknown as IDBFactory;
}

const pixels = {
	id: 'p1',
	image: new Blob([new Uint8Array([255, 216, 0, 1, 2])], { type: 'image/jpeg' }),
	thumbnail: new Blob([new Uint8Array([255, 216, 3])], { type: 'image/jpeg' }),
	original: new Blob([new Uint8Array([0, 0, 0, 24, 102])], { type: 'image/heic' })
};

async function bytesOf(blob: Blob | null) {
	return blob && { type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())] };
}

describe('probeBlobStorage', () => {
	it('finds that a browser stores Blobs, and leaves no probe database behind', async () => {
		expect(await probeBlobStorage(indexedDB, 1_000)).toBe(true);
		await new Promise((resolve) => setTimeout(resolve, 10));
		const names = (await indexedDB.databases()).map((database) => database.name);
		expect(names).not.toContain(BLOB_PROBE_DB);
	});

	it('finds that WebKit’s private browsing refuses Blobs, at once rather than at the time-out', async () => {
		const started = Date.now();
		expect(await probeBlobStorage(refusingBlobsLikeWebKitPrivate(), 5_000)).toBe(false);
		expect(Date.now() - started).toBeLessThan(1_000);
	});

	it('gives up on a storage that never answers, after its time-out', async () => {
		expect(await probeBlobStorage(neverAnswering(), 30)).toBe(false);
	});
});

describe('stored photo data', () => {
	it('keeps Blobs as they are where Blobs can be stored', async () => {
		const stored = await toStoredPhotoData(pixels, true);
		expect(stored.image).toBe(pixels.image);
	});

	it('keeps bytes and type where Blobs are refused, and reads them back as the same Blobs', async () => {
		const stored = await toStoredPhotoData(pixels, false);
		expect(stored.image).toEqual({ bytes: expect.any(ArrayBuffer), type: 'image/jpeg' });
		const read = fromStoredPhotoData(stored);
		for (const variant of ['image', 'thumbnail', 'original'] as const) {
			expect(read[variant]).toBeInstanceOf(Blob);
			expect(await bytesOf(read[variant])).toEqual(await bytesOf(pixels[variant]));
		}
		expect(
			fromStoredPhotoData(await toStoredPhotoData({ ...pixels, original: null }, false))
		).toMatchObject({ original: null });
		expect(blobOf(pixels.image)).toBe(pixels.image);
	});
});

describe('a diary where Blobs are refused', () => {
	it('stores a photo as bytes and shows it as a Blob', async () => {
		const open = freshDatabase();
		const store = new DiaryStore(open, { canStoreBlobs: async () => false });
		await store.addPhoto(aPhoto(), pixels);

		const raw = await (await open()).get('photoData', 'p1');
		expect(raw?.image).not.toBeInstanceOf(Blob);
		expect(raw?.image).toEqual({ bytes: expect.any(ArrayBuffer), type: 'image/jpeg' });
		for (const variant of ['image', 'thumbnail', 'original'] as const) {
			expect(await bytesOf(await store.photoBlob('p1', variant))).toEqual(
				await bytesOf(pixels[variant])
			);
		}
	});

	it('backs up photos stored as bytes, and restores them as bytes there too', async () => {
		const phone = freshDatabase();
		await new DiaryStore(phone, { canStoreBlobs: async () => false }).addPhoto(aPhoto(), pixels);
		const backup = await exportBackup(phone, Date.UTC(2026, 11, 20));

		const privateTab = freshDatabase();
		await importBackup(privateTab, backup, async () => false);
		expect((await (await privateTab()).get('photoData', 'p1'))?.thumbnail).toEqual({
			bytes: expect.any(ArrayBuffer),
			type: 'image/jpeg'
		});
		const restored = new DiaryStore(privateTab);
		for (const variant of ['image', 'thumbnail', 'original'] as const) {
			expect(await bytesOf(await restored.photoBlob('p1', variant))).toEqual(
				await bytesOf(pixels[variant])
			);
		}
	});
});
