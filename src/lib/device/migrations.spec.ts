import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { anEntry } from '$lib/test-data/diary';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { CareStore } from './care-store';
import { DB_VERSION, openCareDb, type CareDb } from './db';
import { DiaryStore } from './diary-store';

/**
 * What a phone could hold at each schema version, written with that version's stores only.
 * Add a seed for every new version: the test below opens each with today's code.
 */
const seeds: Record<number, (db: CareDb) => Promise<void>> = {
	1: async (db) => {
		await db.put('treatments', aTreatment());
		await db.put('settings', { key: 'preferences', value: somePreferences() });
		await db.put('settings', { key: 'screening', value: { acne: 'yes' } });
		await db.put('completions', { id: 't1:ice-pack:2026-12-15:morning', doneAt: 5 });
	},
	2: async (db) => {
		await seeds[1]!(db);
		await db.put('entries', anEntry({ id: 'e1', symptoms: { redness: 2 }, note: 'tight' }));
		// Written out, not from a factory: a seed is what an old phone holds, and must not follow
		// later changes to the types.
		await db.put('photos', {
			id: 'p1',
			entryId: 'e1',
			treatmentId: 't1',
			date: '2026-12-15',
			day: 1,
			area: 'face',
			takenAt: 1,
			width: 10,
			height: 10,
			bytes: 3,
			hasOriginal: false,
			inSummary: true
		});
		await db.put('photoData', {
			id: 'p1',
			image: new Blob(['img']),
			thumbnail: new Blob(['th']),
			original: null
		});
	},
	3: async (db) => {
		await seeds[2]!(db);
		await db.put('settings', {
			key: 'push',
			value: { wanted: true, server: { id: 's1', token: 'tok', endpoint: 'https://push.test/1' } }
		});
		await db.put('reminders', {
			id: 'AAAAAAAAAAAAAAAAAAAAAA',
			occurrenceId: 't1:ice-pack:2026-12-15:morning',
			taskId: 'ice-pack',
			treatmentId: 't1',
			at: 10,
			title: 'Ice pack',
			body: 'Use it.'
		});
	}
};

const names: string[] = [];
afterEach(async () => {
	await Promise.all(names.splice(0).map((name) => deleteDB(name)));
});

describe('schema migrations', () => {
	it('has a seed for every version', () => {
		expect(Object.keys(seeds).map(Number)).toEqual(
			Array.from({ length: DB_VERSION }, (_, index) => index + 1)
		);
	});

	for (let version = 1; version <= DB_VERSION; version++) {
		it(`keeps every record of a version ${version} database when opened by this version`, async () => {
			const name = `migrate-from-${version}`;
			names.push(name);
			const old = await openCareDb(name, version);
			await seeds[version]!(old);
			old.close();

			const db = await openCareDb(name);
			expect(db.version).toBe(DB_VERSION);
			const care = await new CareStore(async () => db).load();
			expect(care.treatments).toEqual([aTreatment()]);
			expect(care.preferences).toEqual(somePreferences());
			expect(care.screening).toEqual({ acne: 'yes' });
			expect(care.done).toEqual(new Set(['t1:ice-pack:2026-12-15:morning']));
			if (version >= 2) {
				const diary = new DiaryStore(async () => db);
				expect(await diary.entries('t1')).toEqual([
					anEntry({ id: 'e1', symptoms: { redness: 2 }, note: 'tight' })
				]);
				expect((await diary.photos('t1')).map((photo) => photo.id)).toEqual(['p1']);
				expect(await (await diary.photoBlob('p1', 'image'))?.text()).toBe('img');
			}
			if (version >= 3) {
				expect((await db.get('settings', 'push'))?.value).toMatchObject({ wanted: true });
				expect(await db.getAllKeys('reminders')).toEqual(['AAAAAAAAAAAAAAAAAAAAAA']);
			}
			db.close();
		});
	}
});
