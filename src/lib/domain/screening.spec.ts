import { describe, expect, it } from 'vitest';
import { defaultProtocol } from './default-protocol';
import {
	askedKey,
	discussedKey,
	optedInTasks,
	questionsNotDiscussed,
	screeningAdviceDisplay,
	withDiscussed
} from './screening';

const protocol = defaultProtocol();

describe('optional tasks (askPatient)', () => {
	it('are in the plan only after a "yes" to their question', () => {
		expect(optedInTasks(protocol, {})).toEqual(new Set());
		expect(optedInTasks(protocol, { [askedKey('vitamin-cream')]: 'no' })).toEqual(new Set());
		expect(optedInTasks(protocol, { [askedKey('vitamin-cream')]: 'yes' })).toEqual(
			new Set(['vitamin-cream'])
		);
	});

	it('only count for tasks the protocol makes optional', () => {
		expect(optedInTasks(protocol, { [askedKey('ice-pack')]: 'yes' })).toEqual(new Set());
	});

	it('keep their answers apart from the screening questions', () => {
		const answers = { acne: 'no', [askedKey('vitamin-cream')]: 'yes' } as const;
		expect(questionsNotDiscussed(protocol, answers)).toEqual([]);
	});
});

describe('talking to the provider about the screening answers', () => {
	const answers = { acne: 'yes', keloids: 'unsure', blood: 'no' } as const;

	it('is recorded for every question to raise, and can be taken back', () => {
		const discussed = withDiscussed(protocol, answers, true);
		expect(discussed).toEqual({
			...answers,
			[discussedKey('acne')]: 'yes',
			[discussedKey('keloids')]: 'yes'
		});
		expect(questionsNotDiscussed(protocol, discussed)).toEqual([]);
		expect(withDiscussed(protocol, discussed, false)).toEqual(answers);
	});

	it('does not cover a question answered "yes" afterwards', () => {
		const later = { ...withDiscussed(protocol, answers, true), blood: 'yes' } as const;
		expect(questionsNotDiscussed(protocol, later).map((question) => question.id)).toEqual([
			'blood'
		]);
	});
});

describe('screeningAdviceDisplay', () => {
	const raised = { acne: 'yes' } as const;
	const discussed = withDiscussed(protocol, raised, true);

	it('shows nothing when there is nothing to raise, or the treatment is behind', () => {
		expect(screeningAdviceDisplay(protocol, {}, 'before')).toBe('none');
		expect(screeningAdviceDisplay(protocol, { acne: 'no' }, 'treatment-day')).toBe('none');
		expect(screeningAdviceDisplay(protocol, raised, 'after')).toBe('none');
	});

	it('until talked about: a one-line notice on the days before, in full on the treatment day', () => {
		expect(screeningAdviceDisplay(protocol, raised, 'before')).toBe('notice');
		expect(screeningAdviceDisplay(protocol, raised, 'treatment-day')).toBe('full');
	});

	it('folds it away once talked about, but keeps a short reminder on the treatment day', () => {
		expect(screeningAdviceDisplay(protocol, discussed, 'before')).toBe('none');
		expect(screeningAdviceDisplay(protocol, discussed, 'treatment-day')).toBe('compact');
	});
});
