import type { IDBPTransaction, StoreNames } from 'idb';
import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';
import { blobOf, canStoreBlobs, toStoredPhotoData } from './blob-storage';
import type { CareDb, CareDbSchema, PhotoData } from './db';
import { STORAGE_TIMEOUT_MS, withinTime } from './storage-timeout';

/** Which stored version of a photo to read. */
export type PhotoVariant = 'image' | 'thumbnail' | 'original';

export interface DiaryStoreOptions {
	/** Whether Blobs can be stored; default `canStoreBlobs`, which asks the browser once. */
	canStoreBlobs?: () => Promise<boolean>;
	/** How long one step may take before it fails with `StorageTimeoutError`. */
	timeoutMs?: number;
}

type Names = StoreNames<CareDbSchema>;

/**
 * The recovery diary's storage on the device: check-ins, and photos kept with their description
 * apart, so that listing a diary of hundreds of photos reads no pixels. Pixels are kept as Blobs,
 * or as bytes where the browser refuses Blobs (blob-storage.ts); they are read as Blobs.
 *
 * Every step is one transaction that ends within `timeoutMs`, or fails with a
 * `StorageTimeoutError`: a save never waits for ever.
 */
export class DiaryStore {
	private readonly canStoreBlobs: () => Promise<boolean>;
	private readonly timeoutMs: number;

	/** @param open opens the database (once), e.g. `getDb` */
	constructor(
		private readonly open: () => Promise<CareDb>,
		options: DiaryStoreOptions = {}
	) {
		this.canStoreBlobs = options.canStoreBlobs ?? canStoreBlobs;
		this.timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
	}

	/**
	 * Runs `work` in one transaction and waits for it to complete, at most `timeoutMs` (opening
	 * the database included); on time-out the transaction is aborted where it still can be.
	 */
	private transact<N extends Names, Mode extends IDBTransactionMode, T>(
		names: N[],
		mode: Mode,
		work: (tx: IDBPTransaction<CareDbSchema, N[], Mode>) => Promise<T>
	): Promise<T> {
		let tx: IDBPTransaction<CareDbSchema, N[], Mode> | undefined;
		const done = (async () => {
			const db = await this.open();
			tx = db.transaction(names, mode);
			const [result] = await Promise.all([work(tx), tx.done]);
			return result;
		})();
		return withinTime(done, this.timeoutMs, () => tx?.abort());
	}

	/** Every check-in of one treatment, oldest first. */
	async entries(treatmentId: string): Promise<DiaryEntry[]> {
		const range = IDBKeyRange.bound([treatmentId, ''], [treatmentId, '\uffff']);
		const entries = await this.transact(['entries'], 'readonly', (tx) =>
			tx.objectStore('entries').index('byTreatmentDate').getAll(range)
		);
		return entries.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt);
	}

	/** One check-in, or undefined. */
	entry(id: string): Promise<DiaryEntry | undefined> {
		return this.transact(['entries'], 'readonly', (tx) => tx.objectStore('entries').get(id));
	}

	/** Adds or replaces a check-in (by id). */
	async saveEntry(entry: DiaryEntry): Promise<void> {
		await this.transact(['entries'], 'readwrite', (tx) => tx.objectStore('entries').put(entry));
	}

	/** Deletes a check-in and its photos, all or nothing. */
	async deleteEntry(id: string): Promise<void> {
		await this.transact(['entries', 'photos', 'photoData'], 'readwrite', async (tx) => {
			const photoIds = await tx.objectStore('photos').index('byEntry').getAllKeys(id);
			await Promise.all([
				tx.objectStore('entries').delete(id),
				...photoIds.flatMap((photoId) => [
					tx.objectStore('photos').delete(photoId),
					tx.objectStore('photoData').delete(photoId)
				])
			]);
		});
	}

	/**
	 * Stores a photo, description and pixels together or not at all.
	 * @throws DOMException `QuotaExceededError` when the phone is out of space
	 * @throws StorageTimeoutError when the storage does not answer
	 */
	async addPhoto(meta: PhotoMeta, data: PhotoData): Promise<void> {
		const stored = await toStoredPhotoData(data, await this.canStoreBlobs());
		await this.transact(['photos', 'photoData'], 'readwrite', (tx) =>
			Promise.all([tx.objectStore('photos').put(meta), tx.objectStore('photoData').put(stored)])
		);
	}

	/** Descriptions of every photo of one treatment, oldest first. */
	async photos(treatmentId: string): Promise<PhotoMeta[]> {
		const range = IDBKeyRange.bound([treatmentId, '', 0], [treatmentId, '\uffff', Infinity]);
		const photos = await this.transact(['photos'], 'readonly', (tx) =>
			tx.objectStore('photos').index('byTreatmentArea').getAll(range)
		);
		return photos.sort((a, b) => a.takenAt - b.takenAt);
	}

	/** Descriptions of the photos of one check-in. */
	photosOfEntry(entryId: string): Promise<PhotoMeta[]> {
		return this.transact(['photos'], 'readonly', (tx) =>
			tx.objectStore('photos').index('byEntry').getAll(entryId)
		);
	}

	/** The latest photo of an area, from any treatment: the camera shows it faintly to line up. */
	async latestPhotoOfArea(area: string): Promise<PhotoMeta | undefined> {
		const range = IDBKeyRange.bound([area, 0], [area, Infinity]);
		return this.transact(['photos'], 'readonly', async (tx) => {
			const cursor = await tx.objectStore('photos').index('byArea').openCursor(range, 'prev');
			return cursor?.value;
		});
	}

	/** The pixels of one photo, or null when missing (or no original was kept). */
	async photoBlob(id: string, variant: PhotoVariant): Promise<Blob | null> {
		const data = await this.transact(['photoData'], 'readonly', (tx) =>
			tx.objectStore('photoData').get(id)
		);
		const stored = data?.[variant];
		return stored ? blobOf(stored) : null;
	}

	/** Picks a photo for the follow-up summary, or drops it. */
	async setInSummary(id: string, inSummary: boolean): Promise<void> {
		await this.transact(['photos'], 'readwrite', async (tx) => {
			const meta = await tx.objectStore('photos').get(id);
			if (meta) {
				await tx.objectStore('photos').put({ ...meta, inSummary });
			}
		});
	}

	/** Deletes one photo. */
	async deletePhoto(id: string): Promise<void> {
		await this.transact(['photos', 'photoData'], 'readwrite', (tx) =>
			Promise.all([tx.objectStore('photos').delete(id), tx.objectStore('photoData').delete(id)])
		);
	}
}
