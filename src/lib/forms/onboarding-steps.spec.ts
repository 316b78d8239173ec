import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { onboardingStep, onboardingSteps, stepName, stepProgress } from './onboarding-steps';

describe('onboarding steps', () => {
	it('asks for the treatment first, then the screening, then reminders', () => {
		expect(onboardingSteps.map((_, index) => stepName(index + 1))).toEqual([
			'Your treatment',
			'Before your treatment',
			'Reminders'
		]);
	});

	it('starts at the first step without a step in history', () => {
		expect(onboardingStep(undefined)).toBe(1);
	});

	it('shows the step kept in history', () => {
		expect(onboardingStep(2)).toBe(2);
		expect(onboardingStep(3)).toBe(3);
	});

	it('falls back to the first step for a step that does not exist', () => {
		for (const step of [0, 4, 1.5, Number.NaN]) {
			expect(onboardingStep(step)).toBe(1);
		}
	});

	it('says where the patient is', () => {
		expect(stepProgress(2)).toBe('Step 2 of 3');
	});
});

describe('onboarding steps in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	it('names the steps and the progress in German', () => {
		expect([1, 2, 3].map(stepName)).toEqual([
			'Ihre Behandlung',
			'Vor Ihrer Behandlung',
			'Erinnerungen'
		]);
		expect(stepProgress(2)).toBe('Schritt 2 von 3');
	});
});
