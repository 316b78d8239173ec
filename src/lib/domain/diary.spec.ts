import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { language } from '$lib/i18n/language.svelte';
import { anEntry } from '$lib/test-data/diary';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { defaultProtocol } from './default-protocol';
import {
	activeWarnings,
	assessEntry,
	careAdherence,
	careOptions,
	courseFromTable,
	csvSeparatorFor,
	entriesToCsv,
	mostUrgent,
	occurrencesCovered,
	symptomCourse,
	symptomTable,
	warningsRaised
} from './diary';
import { buildPlan } from './schedule';
import { zonedInstant } from './zoned-time';

const protocol = defaultProtocol();
const [NONE, MILD, MODERATE, SEVERE] = [0, 1, 2, 3];
const none = () => new Set<string>();
const warningIds = (entry: Parameters<typeof assessEntry>[1]) =>
	assessEntry(protocol, entry).warnings.map((warning) => warning.alertId);

describe('assessEntry: one test per rule', () => {
	it('redness: moderate on day 5 is expected, on day 6 it is a reason to call', () => {
		expect(warningIds(anEntry({ day: 5, symptoms: { redness: MODERATE } }))).toEqual([]);
		expect(
			assessEntry(protocol, anEntry({ day: 5, symptoms: { redness: MODERATE } })).expected
		).toEqual([
			expect.objectContaining({ id: 'redness', text: 'Redness is expected for up to five days.' })
		]);
		const day6 = assessEntry(protocol, anEntry({ day: 6, symptoms: { redness: MODERATE } }));
		expect(day6.warnings).toEqual([
			expect.objectContaining({ alertId: 'redness-lasting', reason: 'Redness: Moderate on day 6' })
		]);
		expect(day6.warnings[0]!.sign.id).toBe('lasting-redness');
		expect(day6.expected).toEqual([]);
	});

	it('redness or swelling of any level past the five days, mild included, is a reason to call', () => {
		// The guide: "Your skin might be red and swollen for up to five days."
		expect(warningIds(anEntry({ day: 6, symptoms: { redness: MILD } }))).toEqual([
			'redness-lasting'
		]);
		expect(warningIds(anEntry({ day: 7, symptoms: { swelling: MILD } }))).toEqual([
			'swelling-lasting'
		]);
		expect(warningIds(anEntry({ day: 5, symptoms: { redness: MILD, swelling: MILD } }))).toEqual(
			[]
		);
		expect(warningIds(anEntry({ day: 6, symptoms: { redness: NONE } }))).toEqual([]);
	});

	it('a clinic can still raise the level that counts', () => {
		const stricter = {
			...protocol,
			diary: {
				...protocol.diary,
				alerts: protocol.diary.alerts.map((alert) =>
					alert.id === 'redness-lasting' ? { ...alert, atLeast: MODERATE } : alert
				)
			}
		};
		const mild = anEntry({ day: 6, symptoms: { redness: MILD } });
		expect(assessEntry(stricter, mild).warnings).toEqual([]);
	});

	it('swelling: severe on day 6 is a reason to call, on day 5 it is expected', () => {
		expect(warningIds(anEntry({ day: 6, symptoms: { swelling: SEVERE } }))).toEqual([
			'swelling-lasting'
		]);
		expect(warningIds(anEntry({ day: 5, symptoms: { swelling: SEVERE } }))).toEqual([]);
	});

	it('any infection sign, on any day, is a reason to call', () => {
		for (const sign of ['spreading-redness', 'pus', 'fever', 'increasing-pain']) {
			expect(warningIds(anEntry({ day: 1, signs: [sign] })), sign).toEqual(['infection-signs']);
		}
	});

	it('warmth: expected on days 0–1, a sign of infection after the recovery window', () => {
		expect(assessEntry(protocol, anEntry({ day: 1, signs: ['warmth'] }))).toEqual({
			warnings: [],
			expected: [expect.objectContaining({ id: 'warmth' })]
		});
		expect(warningIds(anEntry({ day: 5, signs: ['warmth'] }))).toEqual([]);
		expect(warningIds(anEntry({ day: 6, signs: ['warmth'] }))).toEqual(['warmth-lasting']);
	});

	it('blistering, a cold sore flare-up and worsening scarring are reasons to call', () => {
		expect(warningIds(anEntry({ signs: ['blistering'] }))).toEqual(['blistering']);
		expect(warningIds(anEntry({ signs: ['cold-sore'] }))).toEqual(['cold-sore']);
		expect(warningIds(anEntry({ signs: ['scarring'] }))).toEqual(['scarring']);
	});

	it('bruising: mild is noted, moderate or worse is a reason to call', () => {
		expect(warningIds(anEntry({ symptoms: { bruising: MILD } }))).toEqual([]);
		expect(warningIds(anEntry({ symptoms: { bruising: MODERATE } }))).toEqual([
			'bruising-more-than-mild'
		]);
	});

	it('explains a little bleeding after deep needling as expected on days 0–1 only', () => {
		expect(
			assessEntry(protocol, anEntry({ day: 1, symptoms: { bleeding: MILD } })).expected
		).toEqual([
			expect.objectContaining({ text: 'Deep microneedling might cause a little bleeding.' })
		]);
		expect(
			assessEntry(protocol, anEntry({ day: 2, symptoms: { bleeding: MILD } })).expected
		).toEqual([]);
	});

	it('an entry with nothing reported raises nothing and explains nothing', () => {
		expect(assessEntry(protocol, anEntry({ symptoms: { redness: NONE } }))).toEqual({
			warnings: [],
			expected: []
		});
	});
});

describe('how urgent a warning is', () => {
	it('signs of infection mean calling today; lasting redness is worth a call, not urgent', () => {
		const fever = assessEntry(protocol, anEntry({ day: 2, signs: ['fever'] })).warnings;
		const lastingRedness = assessEntry(
			protocol,
			anEntry({ day: 7, symptoms: { redness: MILD } })
		).warnings;
		expect(mostUrgent(fever)).toBe('today');
		expect(mostUrgent(lastingRedness)).toBe('soon');
		expect(mostUrgent([...lastingRedness, ...fever])).toBe('today');
		expect(mostUrgent([])).toBeNull();
	});

	it('the default protocol calls pus, fever, blisters and a cold sore urgent', () => {
		for (const sign of ['pus', 'fever', 'blistering', 'cold-sore']) {
			const warnings = assessEntry(protocol, anEntry({ day: 2, signs: [sign] })).warnings;
			expect(mostUrgent(warnings), sign).toBe('today');
		}
	});
});

describe('activeWarnings', () => {
	const fever = anEntry({ id: 'a', date: '2026-12-16', day: 2, signs: ['fever'] });

	it('keeps the warnings of the latest check-in, on the days after it too', () => {
		expect(activeWarnings(protocol, [fever]).map((warning) => warning.alertId)).toEqual([
			'infection-signs'
		]);
	});

	it('drops a warning once a later check-in no longer raises it', () => {
		const better = anEntry({ id: 'b', date: '2026-12-18', day: 4, signs: [] });
		expect(activeWarnings(protocol, [better, fever])).toEqual([]);
		const sameDayLater = anEntry({ id: 'c', date: '2026-12-16', day: 2, createdAt: 5 });
		expect(activeWarnings(protocol, [sameDayLater, fever])).toEqual([]);
	});

	it('is empty without check-ins', () => {
		expect(activeWarnings(protocol, [])).toEqual([]);
	});
});

describe('warningsRaised', () => {
	it('lists every warning with its date, oldest first', () => {
		const raised = warningsRaised(protocol, [
			anEntry({ id: 'b', date: '2026-12-21', day: 7, symptoms: { redness: MODERATE } }),
			anEntry({ id: 'a', date: '2026-12-16', day: 2, signs: ['fever'] })
		]);
		expect(raised.map((warning) => [warning.date, warning.alertId])).toEqual([
			['2026-12-16', 'infection-signs'],
			['2026-12-21', 'redness-lasting']
		]);
	});
});

describe('symptomCourse', () => {
	it('keeps the worst level of each day, in day order', () => {
		const course = symptomCourse(
			[
				anEntry({ id: '1', day: 2, symptoms: { redness: MILD } }),
				anEntry({ id: '2', day: 1, symptoms: { redness: SEVERE } }),
				anEntry({ id: '3', day: 2, symptoms: { redness: MODERATE } }),
				anEntry({ id: '4', day: 3, symptoms: {} })
			],
			'redness'
		);
		expect(course).toEqual([
			{ day: 1, level: SEVERE },
			{ day: 2, level: MODERATE }
		]);
	});
});

describe('careAdherence', () => {
	it('counts a planned day done when ticked in the plan or recorded in the diary', () => {
		const treatment = aTreatment({ date: '2026-12-14' });
		const plan = buildPlan(protocol, [treatment], somePreferences());
		const done = new Set(['t1:ice-pack:2026-12-15:morning']);
		const entries = [
			anEntry({ date: '2026-12-16', day: 2, care: ['ice-pack', 'makeup'] }),
			anEntry({ date: '2026-12-17', day: 3, care: ['makeup'] })
		];
		const adherence = careAdherence(protocol, plan, done, entries, '2026-12-17', none());
		expect(adherence.find((item) => item.careId === 'ice-pack')).toMatchObject({
			plannedDays: 4,
			doneDays: 2,
			recordedDays: 1
		});
		expect(adherence.find((item) => item.careId === 'makeup')).toMatchObject({
			plannedDays: 0,
			recordedDays: 2
		});
	});
});

describe('optional care (vitamin A/C cream)', () => {
	const treatment = aTreatment({ date: '2026-12-14' });
	const asked = new Set(['vitamin-cream']);

	it('is offered in a check-in and summarised only when the provider asked for it', () => {
		expect(careOptions(protocol, none()).map((care) => care.id)).not.toContain('cream');
		expect(careOptions(protocol, asked).map((care) => care.id)).toContain('cream');

		const unasked = buildPlan(protocol, [treatment], somePreferences());
		const summary = careAdherence(protocol, unasked, none(), [], '2026-12-17', none());
		expect(summary.map((item) => item.careId)).toEqual(['ice-pack', 'sun', 'makeup']);

		const plan = buildPlan(protocol, [treatment], somePreferences(), asked);
		const ticked = new Set(['t1:vitamin-cream:2026-11-20:evening']);
		expect(
			careAdherence(protocol, plan, ticked, [], '2026-12-17', asked).find(
				(item) => item.careId === 'cream'
			)
		).toMatchObject({ plannedDays: 30, doneDays: 1 });
	});

	it('still appears in the summary when the diary records it', () => {
		const plan = buildPlan(protocol, [treatment], somePreferences());
		const entries = [anEntry({ date: '2026-12-10', day: -4, care: ['cream'] })];
		expect(
			careAdherence(protocol, plan, none(), entries, '2026-12-17', none()).find(
				(item) => item.careId === 'cream'
			)
		).toMatchObject({ plannedDays: 0, recordedDays: 1 });
	});
});

describe('occurrencesCovered', () => {
	const plan = buildPlan(protocol, [aTreatment({ date: '2026-12-14' })], somePreferences());
	const berlin = (date: string, time: string) => zonedInstant(date, time, 'Europe/Berlin');
	const ids = (tasks: { id: string }[]) => tasks.map((task) => task.id);
	const entry = { treatmentId: 't1', date: '2026-12-15' };

	it('a check-in at 09:30 covers the morning ice pack, not the evening one', () => {
		expect(
			ids(occurrencesCovered(protocol, plan, entry, 'ice-pack', berlin('2026-12-15', '09:30')))
		).toEqual(['t1:ice-pack:2026-12-15:morning']);
	});

	it('a check-in before the first one of the day covers none; one late in the day covers all', () => {
		expect(
			occurrencesCovered(protocol, plan, entry, 'ice-pack', berlin('2026-12-15', '08:00'))
		).toEqual([]);
		expect(
			ids(occurrencesCovered(protocol, plan, entry, 'ice-pack', berlin('2026-12-15', '21:00')))
		).toEqual(['t1:ice-pack:2026-12-15:morning', 't1:ice-pack:2026-12-15:evening']);
	});

	it('a check-in for a past date covers all of that day', () => {
		expect(
			ids(occurrencesCovered(protocol, plan, entry, 'ice-pack', berlin('2026-12-17', '08:00')))
		).toEqual(['t1:ice-pack:2026-12-15:morning', 't1:ice-pack:2026-12-15:evening']);
	});

	it('care not linked to the plan, or another session, covers nothing', () => {
		const late = berlin('2026-12-17', '08:00');
		expect(occurrencesCovered(protocol, plan, entry, 'makeup', late)).toEqual([]);
		expect(
			occurrencesCovered(protocol, plan, { ...entry, treatmentId: 't2' }, 'ice-pack', late)
		).toEqual([]);
	});
});

describe('entriesToCsv', () => {
	it('writes one quoted, spreadsheet-safe row per check-in', () => {
		const csv = entriesToCsv(protocol, [
			anEntry({
				date: '2026-12-20',
				day: 6,
				symptoms: { redness: MODERATE },
				care: ['sun'],
				note: 'Felt "tight", then better,\nby evening'
			}),
			anEntry({ date: '2026-12-15', day: 1, note: '=HYPERLINK("x")' })
		]);
		const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
		expect(lines[0]).toMatch(/^date,day,Redness,Swelling,/);
		expect(lines[0]).toMatch(/,warnings,note$/);
		expect(lines[1]).toMatch(/^2026-12-15,1,None,/);
		expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
		expect(lines[2]).toMatch(/^2026-12-20,6,Moderate,None,/);
		expect(csv).toContain(
			'Redness or swelling that lasts,"Felt ""tight"", then better,\nby evening"'
		);
		expect(csv.endsWith('\r\n')).toBe(true);
	});

	// The bytes the download holds: the page wraps the string in a File, as here.
	const bytesOf = async (csv: string) => new Uint8Array(await new Blob([csv]).arrayBuffer());
	const entries = [
		anEntry({
			date: '2026-12-15',
			day: 1,
			symptoms: { redness: SEVERE },
			note: 'Rötung; "heiß", Wange\nnachts gekühlt'
		})
	];

	it('starts with the UTF-8 byte order mark, so Excel keeps umlauts', async () => {
		const bytes = await bytesOf(entriesToCsv(protocol, entries, ';'));
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		// "ö" in UTF-8, not Windows-1252's single byte.
		const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes);
		expect(text).toContain('Rötung');
		expect(bytes.includes(0xf6)).toBe(false);
		// Exactly one mark, and no "sep=" line (Excel would then ignore the mark).
		expect(text.startsWith('date;')).toBe(true);
	});

	it('with semicolons: every row has the header’s number of fields, quoted where needed', async () => {
		const text = new TextDecoder().decode(await bytesOf(entriesToCsv(protocol, entries, ';')));
		const [header, row] = text.split('\r\n');
		expect(header).toMatch(/^date;day;Redness;Swelling;/);
		expect(row).toMatch(/^2026-12-15;1;Severe;None;/);
		// The note holds a semicolon, quotes and a line break: one quoted field.
		expect(text).toContain(';"Rötung; ""heiß"", Wange\nnachts gekühlt"\r\n');
		// Outside quoted fields, both rows have as many separators.
		const [head, data] = text.replace(/"(?:[^"]|"")*"/g, 'x').split('\r\n');
		expect(data!.split(';').length).toBe(head!.split(';').length);
	});

	it('with commas: a field holding a comma or a semicolon is quoted', () => {
		const csv = entriesToCsv(protocol, [anEntry({ note: 'cool, then warm; fine' })], ',');
		expect(csv).toContain(',"cool, then warm; fine"\r\n');
		expect(csv.split('\r\n')[0]).toMatch(/^\uFEFFdate,day,/);
	});
});

describe('csvSeparatorFor', () => {
	it('uses a semicolon where the locale writes decimals with a comma, as Excel does', () => {
		expect(csvSeparatorFor('de-DE')).toBe(';');
		expect(csvSeparatorFor('de-AT')).toBe(';');
		expect(csvSeparatorFor('fr-FR')).toBe(';');
		expect(csvSeparatorFor('en-GB')).toBe(',');
		expect(csvSeparatorFor('en-US')).toBe(',');
		// Swiss Windows writes 0.5 but separates lists with semicolons.
		expect(csvSeparatorFor('de-CH')).toBe(';');
	});

	it('falls back to a comma for an unknown or missing locale', () => {
		expect(csvSeparatorFor('not a locale!')).toBe(',');
		expect(csvSeparatorFor(undefined)).toMatch(/^[,;]$/);
	});
});

describe('symptomTable', () => {
	it('has one row per check-in day with the worst level, and only the symptoms noted', () => {
		const table = symptomTable(protocol, [
			anEntry({ id: 'b', date: '2026-12-17', day: 3, symptoms: { redness: MILD, swelling: NONE } }),
			anEntry({ id: 'a1', date: '2026-12-15', day: 1, symptoms: { redness: MILD, pain: NONE } }),
			anEntry({ id: 'a2', date: '2026-12-15', day: 1, symptoms: { redness: SEVERE, pain: MILD } })
		]);
		expect(table.symptoms.map((symptom) => symptom.id)).toEqual(['redness', 'pain']);
		expect(table.days).toEqual([
			{ date: '2026-12-15', day: 1, levels: [SEVERE, MILD] },
			// Pain was not recorded that day: no level rather than "none".
			{ date: '2026-12-17', day: 3, levels: [MILD, null] }
		]);
		expect(courseFromTable(table, 1)).toEqual([{ day: 1, level: MILD }]);
	});

	it('charts the same course as symptomCourse', () => {
		const entries = [
			anEntry({ id: 'x', date: '2026-12-16', day: 2, symptoms: { redness: MODERATE } }),
			anEntry({ id: 'y', date: '2026-12-14', day: 0, symptoms: { redness: SEVERE } })
		];
		expect(courseFromTable(symptomTable(protocol, entries), 0)).toEqual(
			symptomCourse(entries, 'redness')
		);
	});

	it('is empty for a diary without symptoms', () => {
		expect(symptomTable(protocol, [anEntry({ symptoms: { redness: NONE } })]).symptoms).toEqual([]);
	});
});

describe('in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	// The protocol's own labels are localized apart; these tests take whatever they are.
	const label = (id: string) =>
		[...protocol.diary.symptoms, ...protocol.diary.signs].find((item) => item.id === id)!.label;

	it('says what raised a warning in German', () => {
		const [symptom] = assessEntry(
			protocol,
			anEntry({ day: 6, symptoms: { redness: MODERATE } })
		).warnings;
		expect(symptom!.reason).toBe(
			`${label('redness')}: ${protocol.diary.levels[MODERATE]} an Tag 6`
		);
		const [signs] = assessEntry(protocol, anEntry({ day: 2, signs: ['pus', 'fever'] })).warnings;
		expect(signs!.reason).toBe(`${label('pus')}, ${label('fever')} an Tag 2`);
	});

	it('writes the CSV header and the ticked boxes in German, the data as before', () => {
		const csv = entriesToCsv(
			protocol,
			[anEntry({ date: '2026-12-20', day: 6, care: ['sun'], note: 'gut' })],
			';'
		);
		const [header, row] = csv.replace(/^\uFEFF/, '').split('\r\n');
		expect(header).toMatch(/^Datum;Tag;/);
		expect(header).toMatch(/;Warnzeichen;Notiz$/);
		expect(row).toMatch(/^2026-12-20;6;/);
		expect(row).toContain(';ja;');
		expect(row).not.toContain('yes');
	});
});
