import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { CareStore } from '$lib/device/care-store';
import { DiaryStore } from '$lib/device/diary-store';
import { StorageTimeoutError } from '$lib/device/storage-timeout';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { holdStores, testDatabase } from '$lib/test-data/idb';
import { CarePlan } from './care-plan.svelte';
import { Diary, type NewPhoto } from './diary.svelte';

let database = testDatabase();
beforeEach(() => {
	// Only the clock is faked: fake-indexeddb needs real timers.
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(new Date('2026-12-20T12:00:00Z'));
});
afterEach(async () => {
	vi.useRealTimers();
	await database.dispose();
	database = testDatabase();
});

/** A phone whose storage is full: every photo write fails the way browsers fail it. */
class FullPhone extends DiaryStore {
	override async addPhoto(): Promise<void> {
		throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
	}
}

const aNewPhoto = (): NewPhoto => ({
	area: 'face',
	image: new Blob(['image'], { type: 'image/jpeg' }),
	thumbnail: new Blob(['thumb'], { type: 'image/jpeg' }),
	original: null,
	width: 1600,
	height: 1200
});

async function diaryOn(store: DiaryStore) {
	const carePlan = new CarePlan(defaultProtocol(), new CareStore(database.open));
	await carePlan.completeOnboarding(aTreatment({ date: '2026-12-14' }), somePreferences(), {});
	const diary = new Diary(carePlan, store);
	await diary.show();
	return { carePlan, diary };
}

describe('Diary.saveCheckIn', () => {
	it('keeps the check-in and says which photo failed when the phone is out of space', async () => {
		const { diary } = await diaryOn(new FullPhone(database.open));
		const entry = { ...diary.draftFor('2026-12-15'), note: 'tight' };

		const result = await diary.saveCheckIn(entry, [aNewPhoto()]);

		expect(result.failedPhotos).toEqual([
			{ area: 'face', reason: 'This phone is out of storage space for photos.' }
		]);
		const stored = await new DiaryStore(database.open).entries('t1');
		expect(stored.map((one) => one.note)).toEqual(['tight']);
		expect(diary.entries.map((one) => one.id)).toEqual([entry.id]);
	});

	it('says in German why a photo failed, when the patient reads German', async () => {
		language.choose('de');
		try {
			const { diary } = await diaryOn(new FullPhone(database.open));
			const result = await diary.saveCheckIn(diary.draftFor('2026-12-15'), [aNewPhoto()]);
			expect(result.failedPhotos).toEqual([
				{ area: 'face', reason: 'Auf diesem Telefon ist kein Speicherplatz mehr für Fotos frei.' }
			]);
		} finally {
			language.choose(null);
		}
	});

	it('keeps the check-in and says so when the storage does not answer for a photo', async () => {
		const { diary } = await diaryOn(new DiaryStore(database.open, { timeoutMs: 50 }));
		const entry = { ...diary.draftFor('2026-12-15'), note: 'tight' };
		const release = await holdStores(database.open, ['photoData']);

		const result = await diary.saveCheckIn(entry, [aNewPhoto()]);
		await release();

		expect(result.failedPhotos).toEqual([
			{ area: 'face', reason: new StorageTimeoutError().message }
		]);
		const stored = await new DiaryStore(database.open).entries('t1');
		expect(stored.map((one) => one.note)).toEqual(['tight']);
	});

	it('ends with an error, not a wait for ever, when the storage does not answer at all', async () => {
		const { diary } = await diaryOn(new DiaryStore(database.open, { timeoutMs: 50 }));
		const release = await holdStores(database.open, ['entries']);
		await expect(diary.saveCheckIn(diary.draftFor('2026-12-15'), [])).rejects.toBeInstanceOf(
			StorageTimeoutError
		);
		await release();
	});

	it('stores the photos of a check-in with their day of recovery and area', async () => {
		const { diary } = await diaryOn(new DiaryStore(database.open));
		const result = await diary.saveCheckIn(diary.draftFor('2026-12-16'), [aNewPhoto()]);
		expect(result.failedPhotos).toEqual([]);
		expect(diary.photos).toEqual([
			expect.objectContaining({ entryId: result.entry.id, day: 2, area: 'face', bytes: 5 })
		]);
	});

	it('ticks off the plan tasks of the day that were due by the check-in, not later ones', async () => {
		// 09:30 in Berlin on day 1: the 09:00 ice pack is due, the 20:00 one is not.
		vi.setSystemTime(new Date('2026-12-15T08:30:00Z'));
		const { carePlan, diary } = await diaryOn(new DiaryStore(database.open));
		await diary.saveCheckIn({ ...diary.draftFor('2026-12-15'), care: ['ice-pack'] }, []);
		expect(new Set(carePlan.done)).toEqual(new Set(['t1:ice-pack:2026-12-15:morning']));
		// …so the evening reminder still comes, and a new check-in that day starts with the
		// morning's care already ticked.
		expect(carePlan.pendingReminders(Date.now()).map((task) => task.id)).toContain(
			't1:ice-pack:2026-12-15:evening'
		);
		expect(diary.draftFor('2026-12-15').care).toEqual(['ice-pack']);
	});

	it('says the check-in was saved when only ticking its care off in the plan failed', async () => {
		vi.setSystemTime(new Date('2026-12-15T08:30:00Z'));
		const { carePlan, diary } = await diaryOn(new DiaryStore(database.open));
		// The plan's store stops answering after the entry is stored.
		vi.spyOn(carePlan, 'setDone').mockRejectedValue(new StorageTimeoutError());
		const result = await diary.saveCheckIn(
			{ ...diary.draftFor('2026-12-15'), care: ['ice-pack'], note: 'Kept' },
			[aNewPhoto()]
		);
		expect(result.careNotTicked).toBe(true);
		expect(result.failedPhotos).toEqual([]);
		expect(diary.entries.map((entry) => entry.note)).toEqual(['Kept']);
		expect(diary.photos).toHaveLength(1);
	});

	it('ticks off every task of a past day that a check-in for it records', async () => {
		vi.setSystemTime(new Date('2026-12-15T07:00:00Z'));
		const { carePlan, diary } = await diaryOn(new DiaryStore(database.open));
		vi.setSystemTime(new Date('2026-12-16T08:30:00Z'));
		await diary.saveCheckIn({ ...diary.draftFor('2026-12-15'), care: ['ice-pack'] }, []);
		expect(new Set(carePlan.done)).toEqual(
			new Set(['t1:ice-pack:2026-12-15:morning', 't1:ice-pack:2026-12-15:evening'])
		);
	});

	it('starts a morning check-in without an evening step ticked early', async () => {
		vi.setSystemTime(new Date('2026-12-15T08:30:00Z'));
		const { carePlan, diary } = await diaryOn(new DiaryStore(database.open));
		await carePlan.setDone('t1:ice-pack:2026-12-15:evening', true);
		expect(diary.draftFor('2026-12-15').care).toEqual([]);
	});

	it('keeps the diaries of the sessions of a series apart', async () => {
		const { carePlan, diary } = await diaryOn(new DiaryStore(database.open));
		await diary.saveCheckIn(diary.draftFor('2026-12-15'), []);
		await carePlan.saveTreatment(aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 }));
		await diary.show('t2');
		expect(diary.entries).toEqual([]);
		await diary.saveCheckIn(diary.draftFor('2027-01-12'), []);
		await diary.show('t1');
		expect(diary.entries.map((entry) => entry.day)).toEqual([1]);
	});
});

describe('Diary, at the boundary between screens and storage', () => {
	it('stores a check-in the form holds as $state, and hands out plain check-ins and photos', async () => {
		const { diary } = await diaryOn(new DiaryStore(database.open));
		const entry = $state({ ...diary.draftFor('2026-12-15'), signs: ['pus'] });
		expect(() => structuredClone(entry)).toThrow(/could not be cloned/);

		await diary.saveCheckIn(entry, [aNewPhoto()]);

		// What a screen reads may be cloned, posted or stored again.
		const handedOut = structuredClone({ entries: diary.entries, photos: diary.photos });
		expect(handedOut.entries.map((one) => one.signs)).toEqual([['pus']]);
		expect(handedOut.photos.map((one) => one.area)).toEqual(['face']);
		const reread = await diary.entry(entry.id);
		expect(structuredClone(reread)?.signs).toEqual(['pus']);
	});
});

describe('Diary.show', () => {
	it('shows the latest session when the one asked for is no longer in the plan', async () => {
		const { carePlan, diary } = await diaryOn(new DiaryStore(database.open));
		await carePlan.saveTreatment(aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 }));
		await diary.show('t2');
		await diary.saveCheckIn(diary.draftFor('2027-01-12'), []);
		await carePlan.deleteTreatment('t2');

		await diary.show(diary.treatmentId);

		expect(diary.treatmentId).toBe('t1');
		expect(diary.treatment?.id).toBe('t1');
	});
});
