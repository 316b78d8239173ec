import { afterEach, describe, expect, it } from 'vitest';
import type { CalendarExport } from '$lib/domain/calendar';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { testDatabase } from '$lib/test-data/idb';
import { CalendarExportStore } from './calendar-export-store';
import { CareStore } from './care-store';

const databases: ReturnType<typeof testDatabase>[] = [];
afterEach(async () => {
	await Promise.all(databases.splice(0).map((database) => database.dispose()));
});

function freshDatabase() {
	const database = testDatabase();
	databases.push(database);
	return database.open;
}

const record: CalendarExport = {
	sequence: 498_900,
	events: [
		{
			uid: 't1:ice-pack:day0:evening@aftercare-companion',
			start: Date.UTC(2026, 11, 14, 19),
			minutes: 15,
			title: 'Ice pack for irritation and discomfort'
		}
	]
};

describe('CalendarExportStore', () => {
	it('has nothing before the first file, and the last record after', async () => {
		const store = new CalendarExportStore(freshDatabase());
		expect(await store.load()).toBeNull();
		await store.save(record);
		await store.save({ ...record, sequence: 498_901 });
		expect(await store.load()).toEqual({ ...record, sequence: 498_901 });
	});

	it('forgets it with "Delete all data"', async () => {
		const open = freshDatabase();
		const store = new CalendarExportStore(open);
		await new CareStore(open).saveOnboarding(aTreatment(), somePreferences(), {});
		await store.save(record);
		await new CareStore(open).clear();
		expect(await store.load()).toBeNull();
	});
});
