import type { CalendarExport } from '$lib/domain/calendar';
import type { CareDb } from './db';

/**
 * What the phone remembers of its "Add to calendar" files, in the `settings` store. It belongs to
 * this phone: not in backups, kept when one is restored (see `backup.ts`), and gone with
 * "Delete all data" (`CareStore.clear`).
 */
export class CalendarExportStore {
	/** @param open opens the database (once), e.g. `getDb` */
	constructor(private readonly open: () => Promise<CareDb>) {}

	/** The record of the last file, or null when this phone has made none. */
	async load(): Promise<CalendarExport | null> {
		const db = await this.open();
		const setting = await db.get('settings', 'calendarExport');
		return setting?.key === 'calendarExport' ? setting.value : null;
	}

	/**
	 * Replaces the record, once a file has been handed to the patient.
	 * @param record `CalendarFile.record`
	 */
	async save(record: CalendarExport): Promise<void> {
		const db = await this.open();
		await db.put('settings', { key: 'calendarExport', value: record });
	}
}
