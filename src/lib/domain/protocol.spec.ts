import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProtocol } from './protocol';
import { sourceQuotes } from './source';
import raw from './protocols/microneedling.json';

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
const seed = normalise(
	readFileSync(new URL('./protocols/microneedling-patient-guide.txt', import.meta.url), 'utf8')
);
/** A deep copy of the default protocol to break on purpose. */
const copy = (): Record<string, unknown> & typeof raw => structuredClone(raw);

describe('the default protocol', () => {
	const result = parseProtocol(raw);

	it('is valid', () => {
		expect(result).toMatchObject({ ok: true });
	});

	it('quotes the patient guide word for word in every source', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		const { protocol } = result;
		const quotes = [
			...protocol.tasks.flatMap((task) => sourceQuotes(task.source)),
			...protocol.warningSigns.flatMap((sign) => sourceQuotes(sign.source)),
			...protocol.screening.questions.flatMap((question) => sourceQuotes(question.source)),
			...sourceQuotes(protocol.screening.source),
			...sourceQuotes(protocol.recovery.source),
			...sourceQuotes(protocol.series.source),
			...[...protocol.diary.symptoms, ...protocol.diary.signs].flatMap((item) =>
				item.expected ? sourceQuotes(item.expected.source) : []
			)
		];
		const missing = quotes.filter((quote) => !seed.includes(normalise(quote)));
		expect(missing).toEqual([]);
	});

	it('asks every "who shouldn\'t have microneedling" question of the guide', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		expect(result.protocol.screening.questions).toHaveLength(7);
	});

	it('marks every number the guide does not give as a clinic default', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		const byId = new Map(result.protocol.tasks.map((task) => [task.id, task]));
		for (const id of [
			'ice-pack',
			'sun-avoidance',
			'vitamin-cream',
			'next-session',
			'numbing-cream'
		]) {
			expect(byId.get(id)?.clinicDefault, id).toMatch(/guide|clinic/i);
		}
		expect(result.protocol.series.clinicDefault).toMatch(/guide does not say/);
	});

	it('names the risks of the guide as warning signs', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		expect(result.protocol.warningSigns.map((sign) => sign.id)).toEqual(
			expect.arrayContaining(['bruising', 'scarring', 'skin-infection'])
		);
	});
});

describe('parseProtocol on a broken file', () => {
	it('names each problem with its field and reason', () => {
		const broken = copy();
		broken.version = 0;
		broken.tasks[1]!.title = '';
		(broken.tasks[2]!.schedule as Record<string, unknown>).minutesFromAppointment = 'soon';
		broken.clinic.phone = 'call us';
		const result = parseProtocol(broken);
		expect(result.ok).toBe(false);
		const fields = result.ok ? [] : result.problems.map((problem) => problem.field);
		expect(fields).toEqual(
			expect.arrayContaining([
				'version',
				'tasks.1.title',
				'tasks.2.schedule.minutesFromAppointment',
				'clinic.phone'
			])
		);
		expect(result.ok ? [] : result.problems.find((p) => p.field === 'tasks.1.title')?.message).toBe(
			'must not be empty'
		);
	});

	it('finds problems that tie fields together', () => {
		const broken = copy();
		broken.tasks[0]!.phase = 'aftercare';
		broken.tasks[1]!.id = broken.tasks[0]!.id;
		Object.assign(broken.tasks[5]!.schedule, { from: 3, to: 1 });
		Object.assign(broken.tasks[4]!, { remind: true });
		const result = parseProtocol(broken);
		expect(result.ok ? [] : result.problems).toEqual(
			expect.arrayContaining([
				{
					field: 'tasks.0.phase',
					message: expect.stringContaining('"aftercare" is not one of the phases')
				},
				{ field: 'tasks.1.id', message: '"consultation" is used twice' },
				{ field: 'tasks.5.schedule.to', message: 'day 1 is before the first day 3' },
				{ field: 'tasks.4.remind', message: expect.stringContaining('cannot send a reminder') }
			])
		);
	});

	it('rejects what is not a protocol at all', () => {
		for (const input of [null, 'protocol', [], { tasks: 'none' }]) {
			const result = parseProtocol(input);
			expect(result.ok).toBe(false);
		}
	});

	it('accepts a clinic that fills in its details', () => {
		const mine = copy();
		mine.clinic = {
			name: 'Riverside Skin Clinic',
			phone: '+44 20 7946 0000',
			website: 'https://example.org'
		};
		const result = parseProtocol(mine);
		expect(result.ok && result.protocol.clinic).toEqual(mine.clinic);
	});
});
