/** The onboarding form's steps in order, by heading: the treatment, the screening, reminders. */
export const onboardingSteps = ['Your treatment', 'Before your treatment', 'Reminders'] as const;

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

/** "Step 2 of 3", the progress read out with each step's heading. */
export function stepProgress(step: number): string {
	return `Step ${step} of ${onboardingSteps.length}`;
}
