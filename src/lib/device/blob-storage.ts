import type { PhotoData, StoredBlob, StoredPhotoData } from './db';

/**
 * Photos' pixels in IndexedDB: as Blobs where the browser stores them, else as their bytes.
 *
 * WebKit in a private session (Safari's Private Browsing, and WebKit automation) refuses Blobs in
 * IndexedDB ("Error preparing Blob/File data to be stored in object store"); the transaction then
 * neither completes nor aborts, and holds its stores for as long as the page lives. The same
 * bytes as an ArrayBuffer are stored at once. So the app asks once, in a throwaway database that
 * nothing else uses, and keeps bytes where Blobs are refused. Reading gives a Blob either way.
 */

/** The throwaway database of the probe; a transaction hung there blocks nothing the app uses. */
export const BLOB_PROBE_DB = 'aftercare-companion-blob-probe';

/** How long the probe waits; a refusal comes at once, this is for a store that never answers. */
export const BLOB_PROBE_TIMEOUT_MS = 3_000;

/**
 * Tries to store a small Blob in a throwaway database.
 * @param factory the browser's `indexedDB`
 * @returns true when the write completed; false when it failed or took longer than `timeoutMs`
 */
export function probeBlobStorage(factory: IDBFactory, timeoutMs: number): Promise<boolean> {
	return new Promise((resolve) => {
		let db: IDBDatabase | undefined;
		let settled = false;
		const finish = (storable: boolean) => {
			if (settled) {
				return;
			}
			settled = true;
			clearTimeout(timer);
			// Closes once its transaction ends: a hung one keeps only this throwaway database open.
			db?.close();
			try {
				factory.deleteDatabase(BLOB_PROBE_DB);
			} catch {
				// Left for the next probe to reuse.
			}
			resolve(storable);
		};
		const timer = setTimeout(() => finish(false), timeoutMs);
		try {
			const request = factory.open(BLOB_PROBE_DB, 1);
			request.onupgradeneeded = () => request.result.createObjectStore('probe');
			request.onerror = () => finish(false);
			request.onsuccess = () => {
				if (settled) {
					request.result.close();
					return;
				}
				try {
					db = request.result;
					const tx = db.transaction('probe', 'readwrite');
					tx.oncomplete = () => finish(true);
					// A failed request's error reaches the transaction; it may never abort after it.
					tx.onerror = () => finish(false);
					tx.onabort = () => finish(false);
					tx.objectStore('probe').put(new Blob(['probe'], { type: 'text/plain' }), 'blob');
				} catch {
					finish(false);
				}
			};
		} catch {
			finish(false);
		}
	});
}

let probe: Promise<boolean> | undefined;

/** Whether this browser stores Blobs in IndexedDB: probed once per page, on first need. */
export function canStoreBlobs(): Promise<boolean> {
	probe ??= probeBlobStorage(indexedDB, BLOB_PROBE_TIMEOUT_MS);
	return probe;
}

/** A Blob as it can be stored: itself, or its bytes and type. */
async function storable(blob: Blob, asBlob: boolean): Promise<StoredBlob> {
	return asBlob ? blob : { bytes: await blob.arrayBuffer(), type: blob.type };
}

/** A stored Blob or its stored bytes, as a Blob. */
export function blobOf(stored: StoredBlob): Blob {
	return stored instanceof Blob ? stored : new Blob([stored.bytes], { type: stored.type });
}

/**
 * A photo's pixels ready to store, made before the transaction opens (nothing may be awaited
 * inside one).
 * @param asBlobs from `canStoreBlobs`
 */
export async function toStoredPhotoData(
	data: PhotoData,
	asBlobs: boolean
): Promise<StoredPhotoData> {
	return {
		id: data.id,
		image: await storable(data.image, asBlobs),
		thumbnail: await storable(data.thumbnail, asBlobs),
		original: data.original ? await storable(data.original, asBlobs) : null
	};
}

/** A photo's pixels as stored, as Blobs. */
export function fromStoredPhotoData(stored: StoredPhotoData): PhotoData {
	return {
		id: stored.id,
		image: blobOf(stored.image),
		thumbnail: blobOf(stored.thumbnail),
		original: stored.original ? blobOf(stored.original) : null
	};
}
