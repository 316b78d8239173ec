import { occurrencesCovered, type DiaryEntry, type PhotoMeta } from '$lib/domain/diary';
import { daysBetween } from '$lib/domain/zoned-time';
import { getDb } from '$lib/device/db';
import { DiaryStore, type PhotoVariant } from '$lib/device/diary-store';
import { STORAGE_TIMEOUT_MS, StorageTimeoutError, withinTime } from '$lib/device/storage-timeout';
import type { CarePlan } from './care-plan.svelte';
import { useCarePlan } from './session.svelte';
import { m } from '$lib/paraglide/messages';

/** A photo ready to store: already downscaled, with the area it shows. */
export interface NewPhoto {
	area: string;
	image: Blob;
	thumbnail: Blob;
	original: Blob | null;
	width: number;
	height: number;
}

/** What happened to the photos of a check-in that was saved. */
export interface SaveResult {
	entry: DiaryEntry;
	/** Photos that could not be stored, and why, in words for the patient. */
	failedPhotos: { area: string; reason: string }[];
	/** The care it records could not be ticked off in the plan (the storage did not answer). */
	careNotTicked: boolean;
}

/**
 * The recovery diary as reactive state over the device store: the check-ins and photo
 * descriptions of the session being looked at. Pixels are read only when shown.
 *
 * Entries and photos are plain data (`$state.raw`, replaced whole), as the store gives them: a
 * screen may clone one or hand it back to the store without meeting a Svelte proxy.
 */
export class Diary {
	/** The session whose diary is shown; the latest one by default. */
	treatmentId = $state<string | null>(null);
	entries = $state.raw<DiaryEntry[]>([]);
	photos = $state.raw<PhotoMeta[]>([]);
	loading = $state(false);

	/**
	 * @param carePlan the care plan, for the sessions, the plan and the clock
	 * @param store the device store for check-ins and photos
	 */
	constructor(
		private readonly carePlan: CarePlan,
		private readonly store: DiaryStore
	) {}

	/** The session being looked at. */
	get treatment() {
		return this.carePlan.sessions.find((one) => one.id === this.treatmentId) ?? null;
	}

	/**
	 * Shows the diary of one session (default: the latest that has started, else the first).
	 * @param treatmentId a session id, or null for the default; one the plan no longer has (a
	 *   removed session) counts as null
	 */
	async show(treatmentId: string | null = null): Promise<void> {
		const sessions = this.carePlan.sessions;
		const started = sessions.filter((one) => one.date <= this.carePlan.today);
		const known = sessions.some((one) => one.id === treatmentId) ? treatmentId : null;
		const chosen = known ?? (started.at(-1) ?? sessions[0])?.id ?? null;
		this.treatmentId = chosen;
		if (!chosen) {
			this.entries = [];
			this.photos = [];
			return;
		}
		this.loading = true;
		try {
			const [entries, photos] = await Promise.all([
				this.store.entries(chosen),
				this.store.photos(chosen)
			]);
			// Another session may have been chosen meanwhile.
			if (this.treatmentId === chosen) {
				this.entries = entries;
				this.photos = photos;
			}
		} finally {
			this.loading = false;
		}
	}

	/** One check-in from the store, whichever session it belongs to. */
	entry(id: string): Promise<DiaryEntry | undefined> {
		return this.store.entry(id);
	}

	/** A fresh check-in for a date of the session being looked at. */
	draftFor(date: string): DiaryEntry {
		const treatment = this.treatment;
		if (!treatment) {
			throw new Error('No treatment to keep a diary for');
		}
		const now = Date.now();
		return {
			id: crypto.randomUUID(),
			treatmentId: treatment.id,
			date,
			day: daysBetween(treatment.date, date),
			createdAt: now,
			updatedAt: now,
			symptoms: Object.fromEntries(
				this.carePlan.protocol.diary.symptoms.map((symptom) => [symptom.id, 0])
			),
			signs: [],
			care: this.careDoneInPlan(date),
			note: ''
		};
	}

	/**
	 * Care already ticked off in the plan on a date, as diary care ids: only what was due by now
	 * counts, so an evening step ticked early does not fill in a morning check-in.
	 */
	careDoneInPlan(date: string): string[] {
		const treatmentId = this.treatmentId;
		if (!treatmentId) {
			return [];
		}
		const { protocol, plan, done } = this.carePlan;
		return protocol.diary.care
			.filter((care) =>
				occurrencesCovered(protocol, plan, { treatmentId, date }, care.id, Date.now()).some(
					(task) => done.has(task.id)
				)
			)
			.map((care) => care.id);
	}

	/**
	 * Saves a check-in, then its new photos one by one. The entry is kept even when a photo
	 * cannot be (the phone is out of space, the storage did not answer): the result says which
	 * photos failed. Care recorded here also ticks off the plan's linked tasks of that day that
	 * were due by the time of the check-in (all of them, for a past date), never a later one.
	 * Every wait on the storage is bounded, so this always ends.
	 * @throws StorageTimeoutError when the storage does not answer before the entry is saved
	 */
	async saveCheckIn(entry: DiaryEntry, newPhotos: NewPhoto[]): Promise<SaveResult> {
		const treatment = this.treatment;
		const saved: DiaryEntry = {
			...$state.snapshot(entry),
			day: treatment ? daysBetween(treatment.date, entry.date) : entry.day,
			updatedAt: Date.now()
		};
		await this.store.saveEntry(saved);

		// The entry is saved from here on: nothing below may report it as not saved.
		const { protocol, plan } = this.carePlan;
		let careNotTicked = false;
		try {
			for (const careId of saved.care) {
				for (const task of occurrencesCovered(protocol, plan, saved, careId, saved.updatedAt)) {
					if (!this.carePlan.done.has(task.id)) {
						await withinTime(this.carePlan.setDone(task.id, true), STORAGE_TIMEOUT_MS);
					}
				}
			}
		} catch {
			careNotTicked = true;
		}

		const failedPhotos: SaveResult['failedPhotos'] = [];
		for (const photo of newPhotos) {
			const meta: PhotoMeta = {
				id: crypto.randomUUID(),
				entryId: saved.id,
				treatmentId: saved.treatmentId,
				date: saved.date,
				day: saved.day,
				area: photo.area,
				takenAt: Date.now(),
				width: photo.width,
				height: photo.height,
				bytes: photo.image.size,
				hasOriginal: photo.original !== null,
				inSummary: false
			};
			try {
				await this.store.addPhoto(meta, {
					id: meta.id,
					image: photo.image,
					thumbnail: photo.thumbnail,
					original: photo.original
				});
			} catch (error) {
				failedPhotos.push({ area: photo.area, reason: photoFailure(error) });
			}
		}
		try {
			await this.show(saved.treatmentId);
		} catch {
			// The check-in is saved; the diary, opened next, reads it again and says if it cannot.
		}
		return { entry: saved, failedPhotos, careNotTicked };
	}

	/** Deletes a check-in with its photos. */
	async deleteEntry(id: string): Promise<void> {
		await this.store.deleteEntry(id);
		this.entries = this.entries.filter((entry) => entry.id !== id);
		this.photos = this.photos.filter((photo) => photo.entryId !== id);
	}

	/** Deletes one photo. */
	async deletePhoto(id: string): Promise<void> {
		await this.store.deletePhoto(id);
		this.photos = this.photos.filter((photo) => photo.id !== id);
	}

	/** Picks a photo for the follow-up summary, or drops it. */
	async setInSummary(id: string, inSummary: boolean): Promise<void> {
		await this.store.setInSummary(id, inSummary);
		this.photos = this.photos.map((photo) => (photo.id === id ? { ...photo, inSummary } : photo));
	}

	/** Reads a photo's pixels (for `LazyPhoto`). */
	readonly loadPhoto = (id: string, variant: PhotoVariant): Promise<Blob | null> =>
		this.store.photoBlob(id, variant);

	/** The latest photo of an area, from any session, for lining up a new one. */
	latestPhotoOfArea(area: string): Promise<PhotoMeta | undefined> {
		return this.store.latestPhotoOfArea(area);
	}
}

function photoFailure(error: unknown): string {
	if (error instanceof StorageTimeoutError) {
		return error.message;
	}
	const name = error instanceof Error || error instanceof DOMException ? error.name : '';
	return name === 'QuotaExceededError' ? m.diary_photo_store_quota() : m.diary_photo_store_failed();
}

const diaries = new WeakMap<CarePlan, Diary>();

/**
 * The diary of the care plan provided by the root layout, made on first use: screens without the
 * diary (a new visitor's first one among them) never load its code.
 */
export function useDiary(): Diary {
	const carePlan = useCarePlan();
	let diary = diaries.get(carePlan);
	if (!diary) {
		diary = new Diary(carePlan, new DiaryStore(getDb));
		diaries.set(carePlan, diary);
	}
	return diary;
}
