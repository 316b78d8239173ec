import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { CareStore } from './care-store';
import { DB_VERSION, openCareDb, type CareDb } from './db';

let name = '';
let opened: CareDb | undefined;
function freshStore(): CareStore {
	name = `test-${crypto.randomUUID()}`;
	return new CareStore(async () => (opened ??= await openCareDb(name)));
}

afterEach(async () => {
	opened?.close();
	opened = undefined;
	await deleteDB(name);
});

describe('CareStore', () => {
	it('starts empty', async () => {
		const record = await freshStore().load();
		expect(record).toEqual({
			treatments: [],
			preferences: null,
			screening: {},
			done: new Set(),
			reached: new Set()
		});
	});

	it('keeps onboarding, edits and ticks across a reopen', async () => {
		const store = freshStore();
		await store.saveOnboarding(aTreatment(), somePreferences(), { acne: 'yes' });
		await store.putTreatment(aTreatment({ id: 't2', date: '2027-01-11', seriesNumber: 2 }));
		await store.putPreferences(somePreferences({ morningTime: '07:00' }));
		await store.setDone('t1:ice-pack:2026-12-15:morning', true, 1);
		await store.setDone('t1:sun-avoidance:2026-12-15:morning', true, 2);
		await store.setDone('t1:sun-avoidance:2026-12-15:morning', false, 3);
		await store.putReached(['t1:consultation:2026-11-14:morning']);

		opened!.close();
		opened = await openCareDb(name);
		const record = await store.load();
		expect(record.treatments.map((treatment) => treatment.id).sort()).toEqual(['t1', 't2']);
		expect(record.preferences?.morningTime).toBe('07:00');
		expect(record.screening).toEqual({ acne: 'yes' });
		expect(record.done).toEqual(new Set(['t1:ice-pack:2026-12-15:morning']));
		expect(record.reached).toEqual(new Set(['t1:consultation:2026-11-14:morning']));
	});

	it('forgets everything on clear', async () => {
		const store = freshStore();
		await store.saveOnboarding(aTreatment(), somePreferences(), {});
		await store.clear();
		expect((await store.load()).treatments).toEqual([]);
	});

	it('has a patient once onboarding is saved, and not after clear', async () => {
		const store = freshStore();
		expect(await store.hasPatient()).toBe(false);
		await store.putTreatment(aTreatment());
		expect(await store.hasPatient()).toBe(false);
		await store.saveOnboarding(aTreatment(), somePreferences(), {});
		expect(await store.hasPatient()).toBe(true);
		await store.clear();
		expect(await store.hasPatient()).toBe(false);
	});

	it('creates the schema at the current version', async () => {
		await freshStore().load();
		expect(opened!.version).toBe(DB_VERSION);
		expect([...opened!.objectStoreNames].sort()).toEqual([
			'completions',
			'entries',
			'photoData',
			'photos',
			'reminders',
			'settings',
			'treatments'
		]);
	});
});
