import type { Protocol } from '$lib/domain/protocol';
import type { Preferences, Treatment } from '$lib/domain/schedule';
import type { ScreeningAnswers } from '$lib/domain/screening';
import type { CareDb } from './db';
import { hasPatient } from './patient-presence';
import { patientSettingKeys } from './patient-settings';

/** What the app keeps on the phone for the care plan. */
export interface CareRecord {
	treatments: Treatment[];
	preferences: Preferences | null;
	screening: ScreeningAnswers;
	/** Ids of ticked-off task occurrences. */
	done: Set<string>;
	/** Ids of occurrences whose time had come under an earlier plan (`reachedIds`). */
	reached: Set<string>;
}

/**
 * The care plan's storage on the device. Plain snapshots in, plain snapshots out: callers never
 * hold IndexedDB objects.
 */
export class CareStore {
	/** @param open opens the database (once), e.g. `getDb` */
	constructor(private readonly open: () => Promise<CareDb>) {}

	/** Reads everything in one transaction. */
	async load(): Promise<CareRecord> {
		const db = await this.open();
		const tx = db.transaction(['treatments', 'settings', 'completions']);
		const [treatments, preferences, screening, reached, completionIds] = await Promise.all([
			tx.objectStore('treatments').getAll(),
			tx.objectStore('settings').get('preferences'),
			tx.objectStore('settings').get('screening'),
			tx.objectStore('settings').get('reached'),
			tx.objectStore('completions').getAllKeys(),
			tx.done
		]);
		return {
			treatments,
			preferences: preferences?.key === 'preferences' ? preferences.value : null,
			screening: screening?.key === 'screening' ? screening.value : {},
			done: new Set(completionIds),
			reached: new Set(reached?.key === 'reached' ? reached.value : [])
		};
	}

	/** Whether onboarding was completed on this phone: a treatment and reminder preferences. */
	hasPatient(): Promise<boolean> {
		return hasPatient(this.open);
	}

	/**
	 * Saves what onboarding collected, all or nothing.
	 * @param treatment the first treatment
	 * @param preferences reminder times and zone
	 * @param screening answers to the screening questions
	 * @param reached ids of the occurrences already due when the plan was made
	 */
	async saveOnboarding(
		treatment: Treatment,
		preferences: Preferences,
		screening: ScreeningAnswers,
		reached: readonly string[] = []
	): Promise<void> {
		const db = await this.open();
		const tx = db.transaction(['treatments', 'settings'], 'readwrite');
		await Promise.all([
			tx.objectStore('treatments').put(treatment),
			tx.objectStore('settings').put({ key: 'preferences', value: preferences }),
			tx.objectStore('settings').put({ key: 'screening', value: screening }),
			tx.objectStore('settings').put({ key: 'reached', value: [...reached] }),
			tx.done
		]);
	}

	/**
	 * Pins the protocol the plan is built on: from now on the phone asks the server for it by id,
	 * and keeps it if the server drops it (`loadProtocol`).
	 */
	async pinProtocol(protocol: Protocol): Promise<void> {
		const db = await this.open();
		await db.put('settings', { key: 'protocol', value: protocol, pinned: true });
	}

	/** Adds or replaces a treatment (by id). */
	async putTreatment(treatment: Treatment): Promise<void> {
		const db = await this.open();
		await db.put('treatments', treatment);
	}

	/** Removes a treatment; its completions are kept, harmlessly, in case it is re-entered. */
	async deleteTreatment(id: string): Promise<void> {
		const db = await this.open();
		await db.delete('treatments', id);
	}

	/** Replaces the reminder preferences. */
	async putPreferences(preferences: Preferences): Promise<void> {
		const db = await this.open();
		await db.put('settings', { key: 'preferences', value: preferences });
	}

	/**
	 * Records occurrences whose time has come, before an edit replaces the plan.
	 * @param ids all such ids so far; the stored set is replaced by this one
	 */
	async putReached(ids: Iterable<string>): Promise<void> {
		const db = await this.open();
		await db.put('settings', { key: 'reached', value: [...ids] });
	}

	/** Replaces the screening answers. */
	async putScreening(screening: ScreeningAnswers): Promise<void> {
		const db = await this.open();
		await db.put('settings', { key: 'screening', value: screening });
	}

	/**
	 * Ticks a task occurrence off, or back on.
	 * @param id `PlannedTask.id`
	 * @param done whether it is done
	 * @param now when it was ticked, epoch milliseconds
	 */
	async setDone(id: string, done: boolean, now: number): Promise<void> {
		const db = await this.open();
		if (done) {
			await db.put('completions', { id, doneAt: now });
		} else {
			await db.delete('completions', id);
		}
	}

	/** Deletes everything the app keeps about the patient on this phone, diary included. */
	async clear(): Promise<void> {
		const db = await this.open();
		const tx = db.transaction(
			['treatments', 'settings', 'completions', 'entries', 'photos', 'photoData', 'reminders'],
			'readwrite'
		);
		await Promise.all([
			tx.objectStore('entries').clear(),
			tx.objectStore('photos').clear(),
			tx.objectStore('photoData').clear(),
			tx.objectStore('treatments').clear(),
			// The patient's settings, and this phone's record of their reminders and calendar events,
			// which name nothing once the plan is gone. The clinic's protocol stays for starting
			// offline; the reminder-id secret is the phone's.
			...[...patientSettingKeys, 'push' as const, 'calendarExport' as const].map((key) =>
				tx.objectStore('settings').delete(key)
			),
			tx.objectStore('completions').clear(),
			tx.objectStore('reminders').clear(),
			tx.done
		]);
	}
}
