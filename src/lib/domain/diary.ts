import type { Protocol, Urgency, WarningSign } from './protocol';
import type { PlannedTask } from './schedule';
import { m } from '$lib/paraglide/messages';

/** One check-in: how the skin is, what care was done, and a note. */
export interface DiaryEntry {
	id: string;
	treatmentId: string;
	/** The patient's local date of the check-in. */
	date: string;
	/** Day of recovery: days from the treatment day (0), negative before it. */
	day: number;
	createdAt: number;
	updatedAt: number;
	/** Symptom id → level, an index into `protocol.diary.levels` (0: none). */
	symptoms: Record<string, number>;
	/** Ids of the observations ticked (`protocol.diary.signs`). */
	signs: string[];
	/** Ids of the care done (`protocol.diary.care`). */
	care: string[];
	note: string;
}

/** A photo's description; its pixels are stored apart, so lists never load them. */
export interface PhotoMeta {
	id: string;
	entryId: string;
	treatmentId: string;
	date: string;
	day: number;
	/** Area of the body, as in `Treatment.areas`. */
	area: string;
	takenAt: number;
	width: number;
	height: number;
	/** Size of the stored (downscaled) image in bytes. */
	bytes: number;
	/** Whether the patient kept the original file too (with its metadata). */
	hasOriginal: boolean;
	/** Whether the patient picked it for the follow-up summary. */
	inSummary: boolean;
}

/** A warning sign an entry raised. */
export interface RaisedWarning {
	alertId: string;
	sign: WarningSign;
	entryId: string;
	date: string;
	day: number;
	/**
	 * What in the entry raised it, in words of the app's language at the time of assessing:
	 * "Redness: Moderate on day 6".
	 */
	reason: string;
}

/** Something the patient reported that is expected at this point, and why. */
export interface Expected {
	id: string;
	label: string;
	text: string;
}

/** What an entry means: warnings to act on, and what is expected. */
export interface Assessment {
	warnings: RaisedWarning[];
	expected: Expected[];
}

/**
 * Applies the protocol's diary rules to one entry.
 * @param protocol supplies the rules, the levels and the recovery window
 * @param entry the check-in
 */
export function assessEntry(protocol: Protocol, entry: DiaryEntry): Assessment {
	const { diary } = protocol;
	const signs = new Map(protocol.warningSigns.map((sign) => [sign.id, sign]));
	const labels = new Map(
		[...diary.symptoms, ...diary.signs].map((item) => [item.id, item.label] as const)
	);
	const afterWindow = entry.day > protocol.recovery.expectedDays;
	const warnings: RaisedWarning[] = [];
	// What raised a warning is not also explained as expected.
	const warned = new Set<string>();

	for (const alert of diary.alerts) {
		const sign = signs.get(alert.warningSign);
		if (!sign || (alert.afterRecoveryWindow && !afterWindow)) {
			continue;
		}
		let reason: string | null = null;
		if (alert.symptom !== undefined && alert.atLeast !== undefined) {
			const level = entry.symptoms[alert.symptom] ?? 0;
			if (level >= alert.atLeast) {
				warned.add(alert.symptom);
				reason = m.diary_reason_symptom({
					symptom: labels.get(alert.symptom) ?? alert.symptom,
					level: diary.levels[level] ?? String(level),
					day: entry.day
				});
			}
		} else {
			const ticked = (alert.anySign ?? []).filter((sign) => entry.signs.includes(sign));
			if (ticked.length > 0) {
				ticked.forEach((id) => warned.add(id));
				reason = m.diary_reason_signs({
					signs: ticked.map((id) => labels.get(id) ?? id).join(', '),
					day: entry.day
				});
			}
		}
		if (reason) {
			warnings.push({
				alertId: alert.id,
				sign,
				entryId: entry.id,
				date: entry.date,
				day: entry.day,
				reason
			});
		}
	}

	const expected: Expected[] = [];
	for (const item of diary.symptoms) {
		if ((entry.symptoms[item.id] ?? 0) > 0 && isExpected(item.expected, entry.day)) {
			expected.push({ id: item.id, label: item.label, text: item.expected!.text });
		}
	}
	for (const item of diary.signs) {
		if (entry.signs.includes(item.id) && isExpected(item.expected, entry.day)) {
			expected.push({ id: item.id, label: item.label, text: item.expected!.text });
		}
	}
	return { warnings, expected: expected.filter((item) => !warned.has(item.id)) };
}

function isExpected(expected: { untilDay: number } | undefined, day: number): boolean {
	return expected !== undefined && day >= 0 && day <= expected.untilDay;
}

/**
 * Every warning the entries raised, oldest first, for the summary.
 * @param protocol supplies the rules
 * @param entries check-ins of one treatment, in any order
 */
export function warningsRaised(
	protocol: Protocol,
	entries: readonly DiaryEntry[]
): RaisedWarning[] {
	return [...entries]
		.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt)
		.flatMap((entry) => assessEntry(protocol, entry).warnings);
}

/**
 * The warnings that still stand: those of the latest check-in. A warning stays on Today after
 * the day it was raised, until a later check-in no longer raises it.
 * @param protocol supplies the rules
 * @param entries check-ins of one treatment, in any order
 */
export function activeWarnings(
	protocol: Protocol,
	entries: readonly DiaryEntry[]
): RaisedWarning[] {
	const latest = [...entries]
		.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt)
		.at(-1);
	return latest ? assessEntry(protocol, latest).warnings : [];
}

/**
 * How soon the provider should hear of these warnings: `today` if any sign says so, `soon` if
 * there are warnings but none is urgent, null if there are none.
 * @param warnings raised warnings
 */
export function mostUrgent(warnings: readonly RaisedWarning[]): Urgency | null {
	if (warnings.length === 0) {
		return null;
	}
	return warnings.some((warning) => warning.sign.urgency === 'today') ? 'today' : 'soon';
}

/**
 * The kinds of care a check-in offers: all but those linked to an optional task
 * (`askPatient`) the patient has not said yes to.
 * @param protocol supplies the care and the tasks
 * @param optedIn ids of the optional tasks the patient said yes to
 */
export function careOptions(
	protocol: Protocol,
	optedIn: ReadonlySet<string>
): Protocol['diary']['care'] {
	const optional = new Set(protocol.tasks.filter((task) => task.askPatient).map((task) => task.id));
	return protocol.diary.care.filter(
		(care) => !care.taskId || !optional.has(care.taskId) || optedIn.has(care.taskId)
	);
}

/**
 * The plan's occurrences that one kind of care in a check-in stands for: those of the linked
 * task on the check-in's date that were due by the time of the check-in. "Used an ice pack" at
 * 09:00 is the morning's ice pack, not the evening's; a check-in for a past date covers all of
 * that day's.
 * @param protocol links diary care to plan tasks
 * @param plan the plan
 * @param entry the check-in (its session and date)
 * @param careId the kind of care recorded, e.g. `ice-pack`
 * @param at when the check-in was made or last changed, epoch milliseconds
 */
export function occurrencesCovered(
	protocol: Protocol,
	plan: readonly PlannedTask[],
	entry: Pick<DiaryEntry, 'treatmentId' | 'date'>,
	careId: string,
	at: number
): PlannedTask[] {
	const taskId = protocol.diary.care.find((care) => care.id === careId)?.taskId;
	if (!taskId) {
		return [];
	}
	return plan.filter(
		(task) =>
			task.taskId === taskId &&
			task.treatmentId === entry.treatmentId &&
			task.date === entry.date &&
			task.at <= at
	);
}

/** One point of a symptom chart: the worst level reported that day. */
export interface SymptomPoint {
	day: number;
	level: number;
}

/**
 * The course of one symptom, one point per day with a check-in (the worst of that day).
 * @param entries check-ins of one treatment
 * @param symptomId e.g. `redness`
 */
export function symptomCourse(entries: readonly DiaryEntry[], symptomId: string): SymptomPoint[] {
	const byDay = new Map<number, number>();
	for (const entry of entries) {
		const level = entry.symptoms[symptomId];
		if (level !== undefined) {
			byDay.set(entry.day, Math.max(level, byDay.get(entry.day) ?? 0));
		}
	}
	return [...byDay].map(([day, level]) => ({ day, level })).sort((a, b) => a.day - b.day);
}

/** One row of the summary's table: a day with check-ins, and each symptom's worst level. */
export interface SymptomDay {
	date: string;
	day: number;
	/** Level of each of the table's symptoms, in their order; null where none was recorded. */
	levels: (number | null)[];
}

/** The symptoms noted in a diary, day by day: the summary's table and charts. */
export interface SymptomTable {
	/** The symptoms noted above "none" on some day, in the protocol's order. */
	symptoms: Protocol['diary']['symptoms'];
	/** One row per day with a check-in, oldest first. */
	days: SymptomDay[];
}

/**
 * Each day's worst level of every symptom noted at all, in one pass over the entries, so that a
 * long diary's table costs one array.
 * @param protocol names the symptoms
 * @param entries check-ins of one treatment, in any order
 */
export function symptomTable(protocol: Protocol, entries: readonly DiaryEntry[]): SymptomTable {
	const all = protocol.diary.symptoms;
	const byDay = new Map<number, { date: string; levels: (number | null)[] }>();
	const noted = all.map(() => false);
	for (const entry of entries) {
		let row = byDay.get(entry.day);
		if (!row) {
			row = { date: entry.date, levels: all.map(() => null) };
			byDay.set(entry.day, row);
		}
		all.forEach((symptom, index) => {
			const level = entry.symptoms[symptom.id];
			if (level !== undefined) {
				row.levels[index] = Math.max(level, row.levels[index] ?? 0);
				noted[index] ||= level > 0;
			}
		});
	}
	const kept = all.flatMap((_, index) => (noted[index] ? [index] : []));
	return {
		symptoms: kept.map((index) => all[index]!),
		days: [...byDay]
			.sort(([a], [b]) => a - b)
			.map(([day, row]) => ({
				date: row.date,
				day,
				levels: kept.map((index) => row.levels[index] ?? null)
			}))
	};
}

/**
 * One symptom's course from the table, for its chart: the days on which it was recorded.
 * @param table from `symptomTable`
 * @param column the symptom's index in `table.symptoms`
 */
export function courseFromTable(table: SymptomTable, column: number): SymptomPoint[] {
	return table.days.flatMap(({ day, levels }) => {
		const level = levels[column];
		return level === null || level === undefined ? [] : [{ day, level }];
	});
}

/** How much of one kind of care was done, against the plan. */
export interface Adherence {
	careId: string;
	label: string;
	/** Plan days on which the linked task was due, up to today. */
	plannedDays: number;
	/** Of those, days on which it was ticked off in the plan or recorded in the diary. */
	doneDays: number;
	/** Days the diary records it, whether planned or not (e.g. makeup worn). */
	recordedDays: number;
}

/**
 * Care done against the plan, per kind of care the diary records. Care linked to an optional
 * task the patient did not say yes to is left out, unless the diary records it.
 * @param protocol links diary care to plan tasks
 * @param plan the plan of one treatment
 * @param done ids of task occurrences ticked off
 * @param entries check-ins of the same treatment
 * @param today the patient's local date: later plan days are not counted
 * @param optedIn ids of the optional tasks (`askPatient`) the patient said yes to
 */
export function careAdherence(
	protocol: Protocol,
	plan: readonly PlannedTask[],
	done: ReadonlySet<string>,
	entries: readonly DiaryEntry[],
	today: string,
	optedIn: ReadonlySet<string>
): Adherence[] {
	const offered = new Set(careOptions(protocol, optedIn).map((care) => care.id));
	const recordedAny = (careId: string) => entries.some((entry) => entry.care.includes(careId));
	const shown = protocol.diary.care.filter((care) => offered.has(care.id) || recordedAny(care.id));
	return shown.map((care) => {
		const recorded = new Set(
			entries.filter((entry) => entry.care.includes(care.id)).map((entry) => entry.date)
		);
		const planned = new Map<string, boolean>();
		for (const task of plan) {
			if (task.taskId === care.taskId && task.date <= today) {
				planned.set(task.date, (planned.get(task.date) ?? false) || done.has(task.id));
			}
		}
		const doneDays = [...planned].filter(([date, ticked]) => ticked || recorded.has(date)).length;
		return {
			careId: care.id,
			label: care.label,
			plannedDays: planned.size,
			doneDays,
			recordedDays: recorded.size
		};
	});
}

/** What separates the fields of a CSV file: a comma, or a semicolon for comma-decimal locales. */
export type CsvSeparator = ',' | ';';

/**
 * The separator Excel expects on a computer set to this locale. Excel splits a CSV it opens by
 * Windows' list separator: a semicolon wherever the decimal mark is a comma (Germany, Austria,
 * France, the Netherlands…) and in Switzerland and Liechtenstein, a comma elsewhere. See
 * docs/decisions/0005-csv-for-excel.md.
 * @param locale a BCP 47 tag, e.g. the app's `language.tag`
 */
export function csvSeparatorFor(locale: string | undefined): CsvSeparator {
	try {
		const decimal = new Intl.NumberFormat(locale)
			.formatToParts(0.5)
			.find((part) => part.type === 'decimal')?.value;
		const region = locale ? new Intl.Locale(locale).region : undefined;
		return decimal === ',' || region === 'CH' || region === 'LI' ? ';' : ',';
	} catch {
		// Not a locale tag: the English default.
		return ',';
	}
}

/**
 * The entries as CSV (RFC 4180), one row per check-in, for a spreadsheet or the provider. The
 * header row and the "yes" of ticked boxes are in the app's language; dates stay ISO and days
 * plain numbers, so a spreadsheet reads them whatever the language. It starts with a byte order mark, without which Excel reads UTF-8 as the old Windows code page and
 * garbles umlauts.
 * @param protocol names the columns
 * @param entries check-ins, in any order
 * @param separator `,` or `;` (see `csvSeparatorFor`)
 */
export function entriesToCsv(
	protocol: Protocol,
	entries: readonly DiaryEntry[],
	separator: CsvSeparator = ','
): string {
	const { symptoms, signs, care, levels } = protocol.diary;
	const header = [
		m.diary_csv_date(),
		m.diary_csv_day(),
		...symptoms.map((symptom) => symptom.label),
		...signs.map((sign) => sign.label),
		...care.map((item) => item.label),
		m.diary_csv_warnings(),
		m.diary_csv_note()
	];
	const yes = m.diary_csv_yes();
	const rows = [...entries]
		.sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt)
		.map((entry) => [
			entry.date,
			String(entry.day),
			...symptoms.map((symptom) => levels[entry.symptoms[symptom.id] ?? 0] ?? ''),
			...signs.map((sign) => (entry.signs.includes(sign.id) ? yes : '')),
			...care.map((item) => (entry.care.includes(item.id) ? yes : '')),
			assessEntry(protocol, entry)
				.warnings.map((warning) => warning.sign.title)
				.join('; '),
			entry.note
		]);
	const lines = [header, ...rows].map((row) => row.map(csvField).join(separator));
	return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

function csvField(value: string): string {
	// Quote fields that need it (either separator, so a file is safe whichever one a reader
	// assumes); prefix formula-like text so spreadsheets do not run it.
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",;\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
