import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';
import type { CareDb, PhotoData } from './db';

/** Which stored version of a photo to read. */
export type PhotoVariant = 'image' | 'thumbnail' | 'original';

/**
 * The recovery diary's storage on the device: check-ins, and photos kept as Blobs with their
 * description apart, so that listing a diary of hundreds of photos reads no pixels.
 */
export class DiaryStore {
	/** @param open opens the database (once), e.g. `getDb` */
	constructor(private readonly open: () => Promise<CareDb>) {}

	/** Every check-in of one treatment, oldest first. */
	async entries(treatmentId: string): Promise<DiaryEntry[]> {
		const db = await this.open();
		const range = IDBKeyRange.bound([treatmentId, ''], [treatmentId, '\uffff']);
		const entries = await db.getAllFromIndex('entries', 'byTreatmentDate', range);
		return entries.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt);
	}

	/** One check-in, or undefined. */
	async entry(id: string): Promise<DiaryEntry | undefined> {
		return (await this.open()).get('entries', id);
	}

	/** Adds or replaces a check-in (by id). */
	async saveEntry(entry: DiaryEntry): Promise<void> {
		await (await this.open()).put('entries', entry);
	}

	/** Deletes a check-in and its photos, all or nothing. */
	async deleteEntry(id: string): Promise<void> {
		const db = await this.open();
		const tx = db.transaction(['entries', 'photos', 'photoData'], 'readwrite');
		const photoIds = await tx.objectStore('photos').index('byEntry').getAllKeys(id);
		await Promise.all([
			tx.objectStore('entries').delete(id),
			...photoIds.flatMap((photoId) => [
				tx.objectStore('photos').delete(photoId),
				tx.objectStore('photoData').delete(photoId)
			]),
			tx.done
		]);
	}

	/**
	 * Stores a photo, description and pixels together or not at all.
	 * @throws DOMException `QuotaExceededError` when the phone is out of space
	 */
	async addPhoto(meta: PhotoMeta, data: PhotoData): Promise<void> {
		const db = await this.open();
		const tx = db.transaction(['photos', 'photoData'], 'readwrite');
		await Promise.all([
			tx.objectStore('photos').put(meta),
			tx.objectStore('photoData').put(data),
			tx.done
		]);
	}

	/** Descriptions of every photo of one treatment, oldest first. */
	async photos(treatmentId: string): Promise<PhotoMeta[]> {
		const db = await this.open();
		const range = IDBKeyRange.bound([treatmentId, '', 0], [treatmentId, '\uffff', Infinity]);
		const photos = await db.getAllFromIndex('photos', 'byTreatmentArea', range);
		return photos.sort((a, b) => a.takenAt - b.takenAt);
	}

	/** Descriptions of the photos of one check-in. */
	async photosOfEntry(entryId: string): Promise<PhotoMeta[]> {
		return (await this.open()).getAllFromIndex('photos', 'byEntry', entryId);
	}

	/** The latest photo of an area, from any treatment: the camera shows it faintly to line up. */
	async latestPhotoOfArea(area: string): Promise<PhotoMeta | undefined> {
		const db = await this.open();
		const range = IDBKeyRange.bound([area, 0], [area, Infinity]);
		const cursor = await db.transaction('photos').store.index('byArea').openCursor(range, 'prev');
		return cursor?.value;
	}

	/** The pixels of one photo, or null when missing (or no original was kept). */
	async photoBlob(id: string, variant: PhotoVariant): Promise<Blob | null> {
		const data = await (await this.open()).get('photoData', id);
		return data?.[variant] ?? null;
	}

	/** Picks a photo for the follow-up summary, or drops it. */
	async setInSummary(id: string, inSummary: boolean): Promise<void> {
		const db = await this.open();
		const tx = db.transaction('photos', 'readwrite');
		const meta = await tx.store.get(id);
		if (meta) {
			await tx.store.put({ ...meta, inSummary });
		}
		await tx.done;
	}

	/** Deletes one photo. */
	async deletePhoto(id: string): Promise<void> {
		const db = await this.open();
		const tx = db.transaction(['photos', 'photoData'], 'readwrite');
		await Promise.all([
			tx.objectStore('photos').delete(id),
			tx.objectStore('photoData').delete(id),
			tx.done
		]);
	}
}
