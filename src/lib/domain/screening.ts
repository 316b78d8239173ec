import type { Protocol } from './protocol';

/** How a patient answered one screening question; "not sure" counts as a reason to ask. */
export const screeningAnswers = ['no', 'yes', 'unsure'] as const;
export type ScreeningAnswer = (typeof screeningAnswers)[number];

/**
 * The patient's answers, kept on the phone as one record:
 * - `<question id>`: a screening question (`protocol.screening.questions`);
 * - `asked:<task id>`: whether the provider asked for an optional task (`askPatient`);
 * - `discussed:<question id>`: "yes" once the patient said they talked to their provider about it.
 * One record rather than one per kind, so that a backup carries all of it as it always has.
 */
export type ScreeningAnswers = Record<string, ScreeningAnswer>;

/** Where the answer to an optional task's question is kept. */
export function askedKey(taskId: string): string {
	return `asked:${taskId}`;
}

/** Where "I have talked to my provider about this" is kept. */
export function discussedKey(questionId: string): string {
	return `discussed:${questionId}`;
}

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

/**
 * The questions to raise that the patient has not yet said they talked to their provider about.
 * @param protocol supplies the questions
 * @param answers the patient's answers
 */
export function questionsNotDiscussed(
	protocol: Protocol,
	answers: ScreeningAnswers
): Protocol['screening']['questions'] {
	return questionsToRaise(protocol, answers).filter(
		(question) => answers[discussedKey(question.id)] !== 'yes'
	);
}

/**
 * The answers with "talked to my provider" set, or cleared, for every question to raise now.
 * @param protocol supplies the questions
 * @param answers the patient's answers
 * @param discussed whether the patient has talked to their provider
 */
export function withDiscussed(
	protocol: Protocol,
	answers: ScreeningAnswers,
	discussed: boolean
): ScreeningAnswers {
	const next = { ...answers };
	for (const question of questionsToRaise(protocol, answers)) {
		if (discussed) {
			next[discussedKey(question.id)] = 'yes';
		} else {
			delete next[discussedKey(question.id)];
		}
	}
	return next;
}

/**
 * Ids of the optional tasks (`askPatient`) the patient said their provider asked for. Any other
 * answer, or none, leaves the task out of the plan.
 * @param protocol supplies the tasks
 * @param answers the patient's answers
 */
export function optedInTasks(protocol: Protocol, answers: ScreeningAnswers): Set<string> {
	return new Set(
		protocol.tasks
			.filter((task) => task.askPatient && answers[askedKey(task.id)] === 'yes')
			.map((task) => task.id)
	);
}

/** Where the patient is, as far as the screening advice cares. */
export type ScreeningMoment =
	/** A session is ahead, on a later day. */
	| 'before'
	/** Today is a treatment day and its appointment is still ahead. */
	| 'treatment-day'
	/** No session ahead, or in the aftercare of one. */
	| 'after';

/**
 * How Today shows the "talk to your provider" advice. The guide asks for the talk before the
 * treatment ("Talk to your healthcare provider before getting microneedling if you have…"), so on
 * the days before it a one-line notice opens to the answers (`notice`): not half the screen every
 * day of the preparation month. On the treatment day, before the appointment, it is shown in full
 * until talked about, then as a short reminder (`compact`), as that is the day it matters most.
 * Past the appointment, or once talked about on other days, it is gone (`none`).
 * @param protocol supplies the questions
 * @param answers the patient's answers
 * @param moment where the patient is
 */
export function screeningAdviceDisplay(
	protocol: Protocol,
	answers: ScreeningAnswers,
	moment: ScreeningMoment
): 'full' | 'notice' | 'compact' | 'none' {
	if (moment === 'after' || questionsToRaise(protocol, answers).length === 0) {
		return 'none';
	}
	if (questionsNotDiscussed(protocol, answers).length > 0) {
		return moment === 'treatment-day' ? 'full' : 'notice';
	}
	return moment === 'treatment-day' ? 'compact' : 'none';
}
