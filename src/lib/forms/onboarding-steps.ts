/** The onboarding form's steps in order, by heading: the treatment, the screening, reminders. */
export const onboardingSteps = ['Your treatment', 'Before your treatment', 'Reminders'] as const;

/**
 * The step to show for the step number kept in history: the first when there is none (a fresh
 * start, or a reload, where SvelteKit does not restore shallow state) or it is out of range.
 * @returns 1-based step number
 */
export function onboardingStep(fromHistory: number | undefined): number {
	return fromHistory !== undefined &&
		Number.isInteger(fromHistory) &&
		fromHistory >= 1 &&
		fromHistory <= onboardingSteps.length
		? fromHistory
		: 1;
}

/** "Step 2 of 3", the progress read out with each step's heading. */
export function stepProgress(step: number): string {
	return `Step ${step} of ${onboardingSteps.length}`;
}
