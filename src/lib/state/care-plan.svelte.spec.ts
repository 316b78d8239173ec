import { afterEach, describe, expect, it } from 'vitest';
import { CareStore } from '$lib/device/care-store';
import { defaultProtocol } from '$lib/domain/default-protocol';
import type { Preferences, Treatment } from '$lib/domain/schedule';
import type { ScreeningAnswers } from '$lib/domain/screening';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { testDatabase } from '$lib/test-data/idb';
import { language } from '$lib/i18n/language.svelte';
import { CarePlan } from './care-plan.svelte';

let database = testDatabase();
afterEach(async () => {
	await database.dispose();
	database = testDatabase();
});

/** What a form hands over: its own `$state`, a proxy that IndexedDB cannot clone. */
function formState<T>(value: T): T {
	const state = $state(value);
	return state;
}

describe('CarePlan, at the boundary between screens and storage', () => {
	it('stores what forms hand over as their $state, and hands out plain data', async () => {
		const carePlan = new CarePlan(defaultProtocol(), new CareStore(database.open));
		const treatment = formState<Treatment>(aTreatment({ areas: ['face', 'neck'] }));
		const screening = formState<ScreeningAnswers>({ acne: 'no' });
		expect(() => structuredClone(treatment)).toThrow(/could not be cloned/);

		await carePlan.completeOnboarding(
			treatment,
			formState<Preferences>(somePreferences()),
			screening
		);
		await carePlan.saveTreatment(formState(aTreatment({ id: 't2', date: '2027-01-11' })));
		await carePlan.savePreferences(formState(somePreferences({ morningTime: '07:30' })));
		await carePlan.saveScreening(formState<ScreeningAnswers>({ acne: 'yes' }));

		// A screen may clone, post or store what the plan holds.
		const handedOut = structuredClone({
			treatments: carePlan.treatments,
			sessions: carePlan.sessions,
			preferences: carePlan.preferences,
			screening: carePlan.screening,
			next: carePlan.nextSessionDraft()
		});
		expect(handedOut.sessions.map((one) => [one.id, one.areas])).toEqual([
			['t1', ['face', 'neck']],
			['t2', ['face']]
		]);
		expect(handedOut.preferences?.morningTime).toBe('07:30');
		expect(handedOut.screening).toEqual({ acne: 'yes' });

		// The form's later edits reach neither the plan nor the phone.
		treatment.areas.push('chest');
		const stored = await new CareStore(database.open).load();
		expect(stored.treatments.find((one) => one.id === 't1')?.areas).toEqual(['face', 'neck']);
		expect(carePlan.treatments.find((one) => one.id === 't1')?.areas).toEqual(['face', 'neck']);
	});

	it('pins the protocol the plan is built on, so the phone keeps asking for that one', async () => {
		const protocol = { ...defaultProtocol(), id: 'riverside-rf' };
		await new CarePlan(protocol, new CareStore(database.open)).completeOnboarding(
			aTreatment(),
			somePreferences(),
			{}
		);
		const kept = await (await database.open()).get('settings', 'protocol');
		expect(kept).toMatchObject({ value: { id: 'riverside-rf' }, pinned: true });
	});

	it('drafts the next session as a copy: editing it leaves the stored session alone', async () => {
		const carePlan = new CarePlan(defaultProtocol(), new CareStore(database.open));
		await carePlan.completeOnboarding(aTreatment(), somePreferences(), {});
		const draft = carePlan.nextSessionDraft()!;
		draft.areas.push('neck');
		expect(carePlan.sessions[0]?.areas).toEqual(['face']);
		expect(draft).toMatchObject({ seriesNumber: 2, date: '2027-01-11' });
	});
});

describe('CarePlan in the patient language', () => {
	afterEach(() => language.choose(null));

	it('re-words the protocol at once on a switch, keeping the plan and the full protocol', async () => {
		language.choose('en');
		const carePlan = new CarePlan(defaultProtocol(), new CareStore(database.open));
		await carePlan.completeOnboarding(aTreatment(), somePreferences(), {});
		const plan = carePlan.plan.length;
		expect(carePlan.protocol.title).toBe('Microneedling care plan');

		language.choose('de');
		expect(carePlan.protocol.title).toBe('Pflegeplan Microneedling');
		expect(carePlan.protocol.tasks.find((task) => task.id === 'ice-pack')?.title).toBe(
			'Kühlpack bei Reizung und Beschwerden'
		);
		expect(carePlan.plan).toHaveLength(plan);
		expect(carePlan.fullProtocol.title).toBe('Microneedling care plan');
		expect(carePlan.fullProtocol.translations.de).toBeDefined();
	});
});
