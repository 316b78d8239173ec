import { afterEach, describe, expect, it } from 'vitest';
import { anEntry, aPhoto } from '$lib/test-data/diary';
import { holdStores, testDatabase } from '$lib/test-data/idb';
import { DiaryStore } from './diary-store';
import { StorageTimeoutError } from './storage-timeout';

let database = testDatabase();
afterEach(async () => {
	await database.dispose();
	database = testDatabase();
});

const pixels = (id: string) => ({
	id,
	image: new Blob(['img'], { type: 'image/jpeg' }),
	thumbnail: new Blob(['th'], { type: 'image/jpeg' }),
	original: null
});

describe('DiaryStore', () => {
	it('lists the check-ins of one treatment only, oldest first', async () => {
		const store = new DiaryStore(database.open);
		await store.saveEntry(anEntry({ id: 'b', date: '2026-12-16' }));
		await store.saveEntry(anEntry({ id: 'a', date: '2026-12-15' }));
		await store.saveEntry(anEntry({ id: 'other', treatmentId: 't2', date: '2027-01-12' }));
		expect((await store.entries('t1')).map((entry) => entry.id)).toEqual(['a', 'b']);
		expect((await store.entries('t2')).map((entry) => entry.id)).toEqual(['other']);
	});

	it('keeps photos as Blobs, apart from their description', async () => {
		const store = new DiaryStore(database.open);
		await store.addPhoto(aPhoto(), pixels('p1'));
		expect(await store.photos('t1')).toEqual([aPhoto()]);
		const blob = await store.photoBlob('p1', 'thumbnail');
		expect(await blob?.text()).toBe('th');
		expect(await store.photoBlob('p1', 'original')).toBeNull();
	});

	it('finds the latest photo of an area across treatments, for the camera overlay', async () => {
		const store = new DiaryStore(database.open);
		await store.addPhoto(aPhoto({ id: 'old', takenAt: 1 }), pixels('old'));
		await store.addPhoto(aPhoto({ id: 'new', treatmentId: 't2', takenAt: 5 }), pixels('new'));
		await store.addPhoto(aPhoto({ id: 'neck', area: 'neck', takenAt: 9 }), pixels('neck'));
		expect((await store.latestPhotoOfArea('face'))?.id).toBe('new');
		expect(await store.latestPhotoOfArea('legs')).toBeUndefined();
	});

	it('deletes a check-in together with its photos', async () => {
		const store = new DiaryStore(database.open);
		await store.saveEntry(anEntry({ id: 'e1' }));
		await store.addPhoto(aPhoto(), pixels('p1'));
		await store.deleteEntry('e1');
		expect(await store.entries('t1')).toEqual([]);
		expect(await store.photos('t1')).toEqual([]);
		expect(await store.photoBlob('p1', 'image')).toBeNull();
	});

	it('picks photos for the summary', async () => {
		const store = new DiaryStore(database.open);
		await store.addPhoto(aPhoto(), pixels('p1'));
		await store.setInSummary('p1', true);
		expect((await store.photos('t1'))[0]?.inSummary).toBe(true);
	});

	it('stops waiting for a storage that does not answer, and leaves nothing half-written', async () => {
		const store = new DiaryStore(database.open, { timeoutMs: 50 });
		const release = await holdStores(database.open, ['entries', 'photos']);
		await expect(store.saveEntry(anEntry({ id: 'late' }))).rejects.toBeInstanceOf(
			StorageTimeoutError
		);
		await expect(store.addPhoto(aPhoto(), pixels('p1'))).rejects.toBeInstanceOf(
			StorageTimeoutError
		);
		await expect(store.photos('t1')).rejects.toBeInstanceOf(StorageTimeoutError);
		await release();
		// The writes that timed out were aborted, not done later behind the patient's back.
		expect(await store.entries('t1')).toEqual([]);
		expect(await store.photos('t1')).toEqual([]);
		expect(await store.photoBlob('p1', 'image')).toBeNull();
	});
});
