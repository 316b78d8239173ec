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
/** A task of a copy, by id: tests must not depend on the order of the default protocol. */
const task = (protocol: typeof raw, id: string) => {
	const found = protocol.tasks.find((one) => one.id === id);
	if (!found) {
		throw new Error(`No task ${id} in the default protocol`);
	}
	return found;
};

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
			'consultation',
			'appointment'
		]) {
			expect(byId.get(id)?.clinicDefault, id).toMatch(/guide|clinic/i);
		}
		expect(result.protocol.series.clinicDefault).toMatch(/guide does not say/);
	});

	it('leaves numbing cream to the provider, as the guide does, and reminds of the appointment', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		const byId = new Map(result.protocol.tasks.map((task) => [task.id, task]));
		// "Your healthcare provider cleans your skin and applies a numbing cream or ointment"
		expect(byId.get('numbing-cream')).toMatchObject({ kind: 'info', remind: false });
		expect(byId.get('numbing-cream')?.text).toMatch(/your provider/i);
		expect(byId.get('appointment')).toMatchObject({
			phase: 'treatment',
			kind: 'appointment',
			schedule: { kind: 'appointment', minutesFromAppointment: -120 },
			remind: true
		});
		expect(byId.get('appointment')?.clinicDefault).toMatch(/guide does not say/);
	});

	it('asks whether the provider asked for the vitamin A/C cream, as the guide says they "may"', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		const optional = result.protocol.tasks.filter((task) => task.askPatient);
		expect(optional.map((task) => task.id)).toEqual(['vitamin-cream']);
		expect(optional[0]!.askPatient?.question).toMatch(/provider asked/);
	});

	it('calls for a call today on signs of infection, and not on lasting redness', () => {
		if (!result.ok) {
			throw new Error('invalid');
		}
		const urgency = new Map(result.protocol.warningSigns.map((sign) => [sign.id, sign.urgency]));
		expect(urgency.get('skin-infection')).toBe('today');
		expect(urgency.get('lasting-redness')).toBe('soon');
		// How soon to call is never the guide's: every sign says it is the clinic's advice.
		for (const sign of result.protocol.warningSigns) {
			expect(sign.clinicDefault, sign.id).toMatch(/clinic/);
		}
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
	it('names each problem with its field and reason, an item of a list by its id', () => {
		const broken = copy();
		broken.version = 0;
		task(broken, 'vitamin-cream').title = '';
		(task(broken, 'procedure').schedule as Record<string, unknown>).minutesFromAppointment = 'soon';
		broken.clinic.phone = 'call us';
		broken.screening.questions[1]!.text = '';
		const result = parseProtocol(broken);
		expect(result.ok).toBe(false);
		const fields = result.ok ? [] : result.problems.map((problem) => problem.field);
		expect(fields).toEqual(
			expect.arrayContaining([
				'version',
				'tasks[vitamin-cream].title',
				'tasks[procedure].schedule.minutesFromAppointment',
				'clinic.phone',
				'screening.questions[blood].text'
			])
		);
		expect(
			result.ok
				? []
				: result.problems.find((p) => p.field === 'tasks[vitamin-cream].title')?.message
		).toBe('must not be empty');
	});

	it('names an item by its position when its id is unusable', () => {
		const broken = copy();
		const index = broken.tasks.findIndex((one) => one.id === 'procedure');
		Object.assign(broken.tasks[index]!, { id: 'Not An Id', title: '' });
		const result = parseProtocol(broken);
		const fields = result.ok ? [] : result.problems.map((problem) => problem.field);
		expect(fields).toEqual(expect.arrayContaining([`tasks[${index}].id`, `tasks[${index}].title`]));
	});

	it('finds problems that tie fields together', () => {
		const broken = copy();
		task(broken, 'consultation').phase = 'aftercare';
		task(broken, 'vitamin-cream').id = 'ice-pack';
		Object.assign(task(broken, 'sun-avoidance').schedule, { from: 3, to: 1 });
		Object.assign(task(broken, 'redness-swelling'), { remind: true });
		const result = parseProtocol(broken);
		expect(result.ok ? [] : result.problems).toEqual(
			expect.arrayContaining([
				{
					field: 'tasks[consultation].phase',
					message: expect.stringContaining('"aftercare" is not one of the phases')
				},
				{ field: 'tasks[ice-pack].id', message: '"ice-pack" is used twice' },
				{ field: 'tasks[sun-avoidance].schedule.to', message: 'day 1 is before the first day 3' },
				{
					field: 'tasks[redness-swelling].remind',
					message: expect.stringContaining('cannot send a reminder')
				}
			])
		);
	});

	it('checks the new kinds of task against their schedules', () => {
		const broken = copy();
		const task = (id: string) =>
			broken.tasks.find((one) => one.id === id)! as Record<string, unknown>;
		Object.assign(task('appointment'), {
			schedule: { kind: 'appointment', minutesFromAppointment: 30 }
		});
		Object.assign(task('redness-swelling'), { kind: 'appointment' });
		Object.assign(task('ice-pack'), { allDay: true, kind: 'info', remind: false });
		Object.assign(task('consultation'), { kind: 'info', remind: false });
		Object.assign(task('sun-avoidance'), {
			kind: 'appointment',
			askPatient: { question: 'Is it?' },
			schedule: { kind: 'appointment', minutesFromAppointment: -10 }
		});
		const result = parseProtocol(broken);
		expect(result.ok ? [] : result.problems.map((problem) => problem.field)).toEqual(
			expect.arrayContaining([
				'tasks[appointment].schedule',
				'tasks[redness-swelling].schedule',
				'tasks[ice-pack].allDay',
				'tasks[consultation].kind',
				'tasks[sun-avoidance].allDay',
				'tasks[sun-avoidance].askPatient'
			])
		);
	});

	it('refuses an unknown urgency, an untilTreatment after the treatment and an empty question', () => {
		const broken = copy();
		(broken.warningSigns[0] as Record<string, unknown>).urgency = 'whenever';
		Object.assign(broken.tasks[0]!.schedule, { from: 2 });
		(broken.tasks[1] as Record<string, unknown>).askPatient = { question: ' ' };
		const result = parseProtocol(broken);
		expect(result.ok ? [] : result.problems).toEqual(
			expect.arrayContaining([
				{ field: 'warningSigns[bruising].urgency', message: 'must be "today" or "soon"' },
				{
					field: 'tasks[consultation].schedule.from',
					message: 'must be the treatment day (0) or before it'
				},
				{ field: 'tasks[vitamin-cream].askPatient.question', message: 'must not be empty' }
			])
		);
	});

	it('takes a warning sign without urgency as urgent: when unsure, call', () => {
		const older = copy();
		for (const sign of older.warningSigns) {
			delete (sign as Record<string, unknown>).urgency;
		}
		const result = parseProtocol(older);
		expect(
			result.ok && result.protocol.warningSigns.every((sign) => sign.urgency === 'today')
		).toBe(true);
	});

	it('rejects what is not a protocol at all', () => {
		for (const input of [null, 'protocol', [], { tasks: 'none' }]) {
			const result = parseProtocol(input);
			expect(result.ok).toBe(false);
		}
	});

	it('accepts a clinic that fills in its details', () => {
		const mine: Record<string, unknown> = copy();
		mine.clinic = {
			name: 'Riverside Skin Clinic',
			phone: '+44 20 7946 0000',
			website: 'https://example.org',
			email: 'care@riverside.example',
			logo: 'riverside.svg',
			accent: '#6b2fa0'
		};
		const result = parseProtocol(mine);
		expect(result.ok && result.protocol.clinic).toEqual(mine.clinic);
	});

	it('gives a clinic without email, logo or accent empty ones, and writes the accent lower-case', () => {
		const mine: Record<string, unknown> = copy();
		mine.clinic = { name: 'Riverside', accent: '#6B2FA0' };
		const result = parseProtocol(mine);
		expect(result.ok && result.protocol.clinic).toEqual({
			name: 'Riverside',
			phone: '',
			website: '',
			email: '',
			logo: '',
			accent: '#6b2fa0'
		});
	});

	it('names every problem with the clinic’s email, logo and accent at once', () => {
		const broken: Record<string, unknown> = copy();
		broken.clinic = {
			name: '',
			phone: '',
			website: '',
			email: 'care at riverside',
			logo: 'logo.svg',
			accent: 'purple'
		};
		const result = parseProtocol(broken);
		expect(result.ok ? [] : result.problems).toEqual(
			expect.arrayContaining([
				{
					field: 'clinic.email',
					message: 'must be an email address such as care@example-clinic.org'
				},
				{ field: 'clinic.accent', message: 'must be a colour written #rrggbb, such as #0b5560' },
				{
					field: 'clinic.logo',
					message:
						'needs clinic.name too: the name is what the logo says to people who cannot see it'
				}
			])
		);
	});

	it('refuses an accent that fails AA contrast, with the ratio', () => {
		const broken: Record<string, unknown> = copy();
		broken.clinic = { ...copy().clinic, accent: '#7fd1ff' };
		const result = parseProtocol(broken);
		expect(result.ok ? [] : result.problems).toEqual([
			{
				field: 'clinic.accent',
				message:
					'#7fd1ff has 1.5:1 against the page background (#f2f6f7) and 1.6:1 against white cards and with white text on it; it needs 4.5:1 (WCAG AA): choose a darker colour'
			}
		]);
	});
});
