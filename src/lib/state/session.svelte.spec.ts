import { afterAll, describe, expect, it } from 'vitest';
import { exportBackup, importBackup } from '$lib/device/backup';
import { CareStore } from '$lib/device/care-store';
import { getDb } from '$lib/device/db';
import { DiaryStore } from '$lib/device/diary-store';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { anEntry } from '$lib/test-data/diary';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { testDatabase } from '$lib/test-data/idb';
import { useDiary } from './diary.svelte';
import { isPatient, openCarePlan, reopenCarePlan, session } from './session.svelte';

const protocol = defaultProtocol();
const phones: ReturnType<typeof testDatabase>[] = [];
afterAll(async () => {
	await Promise.all(phones.map((phone) => phone.dispose()));
});

/** A backup made on another phone: one session and one check-in. */
async function backupOf(treatmentId: string, date: string, note: string): Promise<Blob> {
	const phone = testDatabase();
	phones.push(phone);
	await new CareStore(phone.open).saveOnboarding(
		aTreatment({ id: treatmentId, date }),
		somePreferences(),
		{}
	);
	await new DiaryStore(phone.open).saveEntry(
		anEntry({ id: `${treatmentId}-e`, treatmentId, note })
	);
	return exportBackup(phone.open, Date.UTC(2026, 11, 20));
}

// One story, in order: the session's state lives for the whole app, as it does on a phone.
describe('the session when the stored data is replaced whole', () => {
	it('opens the restored plan in place of the old one, with nothing of the old cached', async () => {
		// A new phone, on the welcome screen, whose visitor then opened the onboarding form.
		expect(await isPatient()).toBe(false);
		const empty = await openCarePlan(protocol);
		expect(empty.onboarded).toBe(false);
		// Opening the first plan renders nothing anew: the welcome screen may be mid-tap.
		expect(session.generation).toBe(0);

		// Restored from the welcome screen: a patient at once.
		await importBackup(getDb, await backupOf('first', '2026-12-14', 'from the first phone'));
		const first = await reopenCarePlan(protocol);
		expect(session.carePlan).toBe(first);
		expect(session.generation).toBe(1);
		expect(first.onboarded).toBe(true);
		expect(await isPatient()).toBe(true);
		const firstDiary = useDiary();
		await firstDiary.show();
		expect(firstDiary.entries.map((entry) => entry.note)).toEqual(['from the first phone']);

		// Another backup restored over it in Settings: every screen meets the new plan.
		await importBackup(getDb, await backupOf('second', '2027-01-11', 'from the second phone'));
		const second = await reopenCarePlan(protocol);
		expect(session.carePlan).toBe(second);
		expect(session.generation).toBe(2);
		expect(second).not.toBe(first);
		expect(second.sessions.map((one) => one.id)).toEqual(['second']);
		const diary = useDiary();
		expect(diary).not.toBe(firstDiary);
		await diary.show(firstDiary.treatmentId);
		expect(diary.treatmentId).toBe('second');
		expect(diary.entries.map((entry) => entry.note)).toEqual(['from the second phone']);
	});
});
