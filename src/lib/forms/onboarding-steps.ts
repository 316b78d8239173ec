import { m } from '$lib/paraglide/messages';

/**
 * The onboarding form's steps in order, by heading: the treatment, the screening, reminders.
 * Functions, called where shown, so a heading re-words when the patient switches language.
 */
export const onboardingSteps = [
	m.welcome_step_treatment,
	m.welcome_step_screening,
	m.welcome_step_reminders
] as const;

/**
 * The step to show for the step number in the address (`?step=2`): the first when there is none
 * (a fresh start) or it is out of range.
 * @returns 1-based step number
 */
export function onboardingStep(fromAddress: number | undefined): number {
	return fromAddress !== undefined &&
		Number.isInteger(fromAddress) &&
		fromAddress >= 1 &&
		fromAddress <= onboardingSteps.length
		? fromAddress
		: 1;
}

/** A step's heading, in the app's language: "Your treatment". */
export function stepName(step: number): string {
	return onboardingSteps[step - 1]?.() ?? '';
}

/** "Step 2 of 3", the progress read out with each step's heading. */
export function stepProgress(step: number): string {
	return m.welcome_step_progress({ step, total: onboardingSteps.length });
}
