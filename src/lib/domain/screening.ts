import type { Protocol } from './protocol';

/** How a patient answered one screening question; "not sure" counts as a reason to ask. */
export const screeningAnswers = ['no', 'yes', 'unsure'] as const;
export type ScreeningAnswer = (typeof screeningAnswers)[number];
export type ScreeningAnswers = Record<string, ScreeningAnswer>;

/**
 * The screening questions the patient should raise with their provider before treatment. Any
 * "yes" or "not sure" leads to advice to talk to the provider; it never blocks the plan.
 * @param protocol supplies the questions
 * @param answers the patient's answers by question id; unanswered questions are not flagged
 */
export function questionsToRaise(
	protocol: Protocol,
	answers: ScreeningAnswers
): Protocol['screening']['questions'] {
	return protocol.screening.questions.filter(
		(question) => answers[question.id] === 'yes' || answers[question.id] === 'unsure'
	);
}
