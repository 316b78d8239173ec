import type { ReminderRecord } from '$lib/domain/reminders';
import type { CareDb, PushSetting } from './db';
import { newReminderSecret } from './opaque-id';

/** What the phone keeps for push reminders: used by the page and by the service worker. */
export class ReminderStore {
	/** @param open opens the database, e.g. `getDb` */
	constructor(private readonly open: () => Promise<CareDb>) {}

	/** The device's secret for opaque ids, made on first use. */
	async secret(): Promise<Uint8Array<ArrayBuffer>> {
		const db = await this.open();
		const tx = db.transaction('settings', 'readwrite');
		const stored = await tx.store.get('reminderSecret');
		if (stored?.key === 'reminderSecret') {
			await tx.done;
			return stored.value;
		}
		const secret = newReminderSecret();
		await Promise.all([tx.store.put({ key: 'reminderSecret', value: secret }), tx.done]);
		return secret;
	}

	/** Every reminder in the mirror. */
	async mirror(): Promise<ReminderRecord[]> {
		const db = await this.open();
		return db.getAll('reminders');
	}

	/**
	 * One reminder, by opaque id.
	 * @param id the opaque id a push names
	 */
	async reminder(id: string): Promise<ReminderRecord | undefined> {
		const db = await this.open();
		return db.get('reminders', id);
	}

	/**
	 * Replaces the whole mirror with what `next` makes of it, read and written in one transaction:
	 * a snooze or a Done the service worker writes meanwhile is never lost.
	 * @param next the new mirror from the current one (`nextMirror`); synchronous, as IndexedDB
	 *   ends a transaction that waits on anything else
	 * @returns the new mirror
	 */
	async updateMirror(
		next: (current: ReminderRecord[]) => ReminderRecord[]
	): Promise<ReminderRecord[]> {
		const db = await this.open();
		const tx = db.transaction('reminders', 'readwrite');
		const records = next(await tx.store.getAll());
		await Promise.all([
			tx.store.clear(),
			...records.map((record) => tx.store.put(record)),
			tx.done
		]);
		return records;
	}

	/**
	 * Puts a reminder off: the mirror remembers it until the next sync tells the server.
	 * @param id the opaque id
	 * @param until when to remind again, epoch milliseconds
	 * @returns the snoozed record, or undefined when the mirror no longer has it
	 */
	async snooze(id: string, until: number): Promise<ReminderRecord | undefined> {
		const db = await this.open();
		const tx = db.transaction('reminders', 'readwrite');
		const record = await tx.store.get(id);
		if (record) {
			await tx.store.put({ ...record, snoozedUntil: until });
		}
		await tx.done;
		return record && { ...record, snoozedUntil: until };
	}

	/**
	 * Drops a reminder from the mirror: its task was ticked off from the notification.
	 * @param id the opaque id
	 */
	async forget(id: string): Promise<void> {
		const db = await this.open();
		await db.delete('reminders', id);
	}

	/** The patient's push choice and registration. */
	async push(): Promise<PushSetting> {
		const db = await this.open();
		const stored = await db.get('settings', 'push');
		return stored?.key === 'push' ? stored.value : { wanted: false, server: null };
	}

	/**
	 * Replaces the push choice and registration.
	 * @param value what to keep
	 */
	async putPush(value: PushSetting): Promise<void> {
		const db = await this.open();
		await db.put('settings', { key: 'push', value });
	}
}
