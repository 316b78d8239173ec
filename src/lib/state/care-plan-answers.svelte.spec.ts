import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportBackup, importBackup } from '$lib/device/backup';
import { CareStore } from '$lib/device/care-store';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { askedKey } from '$lib/domain/screening';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { testDatabase } from '$lib/test-data/idb';
import { CarePlan } from './care-plan.svelte';

const databases: ReturnType<typeof testDatabase>[] = [];
beforeEach(() => {
	// Only the clock is faked: fake-indexeddb needs real timers. 20 days before treatment.
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(new Date('2026-11-24T08:00:00Z'));
});
afterEach(async () => {
	vi.useRealTimers();
	await Promise.all(databases.splice(0).map((database) => database.dispose()));
});

async function patient(answers: Record<string, 'yes' | 'no' | 'unsure'>) {
	const database = testDatabase();
	databases.push(database);
	const carePlan = new CarePlan(defaultProtocol(), new CareStore(database.open));
	await carePlan.completeOnboarding(aTreatment(), somePreferences(), answers);
	carePlan.now = Date.now();
	return { carePlan, open: database.open };
}

const creamIn = (carePlan: CarePlan) =>
	carePlan.plan.filter((task) => task.taskId === 'vitamin-cream').length;

describe('CarePlan answers', () => {
	it('plans the vitamin A/C cream only after the patient says their provider asked for it', async () => {
		const { carePlan } = await patient({ acne: 'no' });
		expect(creamIn(carePlan)).toBe(0);
		await carePlan.saveScreening({ ...carePlan.screening, [askedKey('vitamin-cream')]: 'yes' });
		expect(creamIn(carePlan)).toBe(30);
		expect(carePlan.agenda.later.map((task) => task.taskId)).toEqual(['vitamin-cream']);
		// The evenings before the patient said so were never asked of them: none is "missed".
		expect(carePlan.agenda.missed.map((task) => task.taskId)).not.toContain('vitamin-cream');
		expect(carePlan.pendingReminders().every((task) => task.at > Date.now())).toBe(true);
		await carePlan.saveScreening({ ...carePlan.screening, [askedKey('vitamin-cream')]: 'no' });
		expect(creamIn(carePlan)).toBe(0);
	});

	it('keeps the answer on the phone across a restart', async () => {
		const { carePlan, open } = await patient({ [askedKey('vitamin-cream')]: 'yes' });
		const again = new CarePlan(carePlan.fullProtocol, new CareStore(open));
		await again.load();
		expect(creamIn(again)).toBe(30);
	});

	it('folds the screening advice away once the patient has talked to their provider', async () => {
		const { carePlan } = await patient({ acne: 'yes' });
		expect(carePlan.screeningAdvice).toBe('notice');
		await carePlan.setDiscussed(true);
		expect(carePlan.screeningAdvice).toBe('none');
		// On the treatment day, before the appointment, a short reminder stays.
		carePlan.now = Date.parse('2026-12-14T06:30:00Z');
		expect(carePlan.screeningAdvice).toBe('compact');
		await carePlan.setDiscussed(false);
		expect(carePlan.screeningAdvice).toBe('full');
		carePlan.now = Date.parse('2026-12-01T09:00:00Z');
		expect(carePlan.screeningAdvice).toBe('notice');
	});

	it('goes into a backup and comes back from it, with the rest of the plan', async () => {
		const { carePlan, open } = await patient({
			acne: 'yes',
			[askedKey('vitamin-cream')]: 'yes'
		});
		await carePlan.setDiscussed(true);
		const backup = await exportBackup(open, Date.now());

		const other = await patient({});
		await importBackup(other.open, backup);
		await other.carePlan.load();
		expect(other.carePlan.screening).toEqual(carePlan.screening);
		expect(creamIn(other.carePlan)).toBe(30);
		expect(other.carePlan.screeningAdvice).toBe('none');
	});

	it('never calls "missed" what was due before onboarding, and an edit keeps yesterday’s', async () => {
		// Onboarding 20 days before, with the cream: yesterday evening's cream came before the app.
		const { carePlan } = await patient({ [askedKey('vitamin-cream')]: 'yes' });
		carePlan.now = Date.parse('2026-11-24T20:00:00Z');
		expect(carePlan.agenda.missed).toEqual([]);

		// The next day, tonight's unticked cream of the 24th is missed…
		vi.setSystemTime(new Date('2026-11-25T09:00:00Z'));
		carePlan.now = Date.now();
		const missed = ['t1:vitamin-cream:2026-11-24:evening'];
		expect(carePlan.agenda.missed.map((task) => task.id)).toEqual(missed);
		// …and stays so after the patient changes the evening reminder time.
		await carePlan.savePreferences(somePreferences({ eveningTime: '21:00' }));
		expect(carePlan.agenda.missed.map((task) => task.id)).toEqual(missed);
	});
});
