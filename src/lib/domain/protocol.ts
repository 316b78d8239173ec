import * as v from 'valibot';
import { canonicalTag } from '$lib/i18n/pick-locale';
import { accentContrastProblem, hexColour } from './contrast';
import { protocolTexts, translationProblems, translationWarnings } from './protocol-translation';

/**
 * The care protocol: every instruction the app gives comes from here. The default ships in
 * `protocols/microneedling.json`; a clinic replaces it with PROTOCOL_FILE. Each task and warning
 * sign quotes the sentence of the clinical source it comes from (`source`), and any number the
 * source does not give is explained in `clinicDefault`, so the UI never passes a clinic's choice
 * off as the guide's.
 */

const id = v.pipe(
	v.string(),
	v.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens')
);
const text = v.pipe(v.string(), v.trim(), v.nonEmpty('must not be empty'));
const optionalText = v.optional(v.pipe(v.string(), v.trim()), '');
/** One quoted sentence, or several, from the clinical source. */
const source = v.union(
	[text, v.pipe(v.array(text), v.minLength(1, 'must quote at least one sentence'))],
	'must be a quoted sentence or a list of them'
);
const dayOffset = v.pipe(
	v.number('must be a number'),
	v.integer('must be a whole number of days'),
	v.minValue(-365),
	v.maxValue(365)
);

/** How soon a warning sign needs the provider: see `urgency` in `warningSigns`. */
export const urgencies = ['today', 'soon'] as const;
export type Urgency = (typeof urgencies)[number];

/** The two times of day a patient chooses; the protocol only names the slot. */
export const slots = ['morning', 'evening'] as const;
export type Slot = (typeof slots)[number];

const scheduleSchema = v.variant(
	'kind',
	[
		v.strictObject({
			/** Every `every` days from day `from` to day `to` (inclusive; 0 is the treatment day). */
			kind: v.literal('days'),
			from: dayOffset,
			to: v.optional(dayOffset),
			every: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
			times: v.pipe(
				v.array(v.picklist(slots, 'must be "morning" or "evening"')),
				v.minLength(1, 'must name at least one time of day')
			)
		}),
		v.strictObject({
			/** A fixed number of minutes before (negative) or after the appointment time. */
			kind: v.literal('appointment'),
			minutesFromAppointment: v.pipe(
				v.number(),
				v.integer(),
				v.minValue(-24 * 60),
				v.maxValue(24 * 60)
			)
		}),
		v.strictObject({
			/** On the day the next session of a series is due (`series.intervalDays`). */
			kind: v.literal('seriesInterval'),
			times: v.pipe(
				v.array(v.picklist(slots, 'must be "morning" or "evening"')),
				v.length(1, 'must name one time of day')
			)
		}),
		v.strictObject({
			/**
			 * Once before a session (e.g. the consultation): on Today every day until it is ticked
			 * off or the appointment comes, and reminded on day `from` (0 or before).
			 */
			kind: v.literal('untilTreatment'),
			from: v.pipe(dayOffset, v.maxValue(0, 'must be the treatment day (0) or before it')),
			times: v.pipe(
				v.array(v.picklist(slots, 'must be "morning" or "evening"')),
				v.length(1, 'must name one time of day')
			)
		})
	],
	'must be a schedule of kind "days", "appointment", "seriesInterval" or "untilTreatment"'
);

/** The task kinds: see `kind` in `taskSchema`. */
export const taskKinds = ['care', 'info', 'appointment'] as const;

const taskSchema = v.strictObject({
	id,
	phase: id,
	/**
	 * `care`: something the patient does and can tick off; `info`: what to expect, no tick;
	 * `appointment`: the appointment itself, reminded ahead of it and shown with its date and time,
	 * never ticked off.
	 */
	kind: v.picklist(taskKinds, 'must be "care", "info" or "appointment"'),
	title: text,
	text: text,
	items: v.optional(v.array(text), []),
	source,
	clinicDefault: optionalText,
	schedule: scheduleSchema,
	remind: v.boolean('must be true or false'),
	/**
	 * Advice for the whole day (staying out of the sun), not a step at a time: Today shows it as
	 * the day's standing advice, and its reminder comes at the slot's time.
	 */
	allDay: v.optional(v.boolean('must be true or false'), false),
	/**
	 * Only for patients who answer yes (the guide's "your provider may ask you to…"): asked at
	 * onboarding and changeable in Settings; until then the task is not in the plan.
	 */
	askPatient: v.optional(v.strictObject({ question: text, hint: optionalText })),
	/** `moreSessionsExpected`: only while the series may continue and no later session is booked. */
	onlyIf: v.optional(v.picklist(['moreSessionsExpected'], 'must be "moreSessionsExpected"'))
});

const expectation = v.strictObject({
	/** Last day of recovery on which this is expected (0 is the treatment day). */
	untilDay: dayOffset,
	text,
	source
});

const diarySchema = v.strictObject({
	/** Names of the levels of every symptom scale, from none (0) upwards. */
	levels: v.pipe(v.array(text), v.minLength(2, 'must name at least two levels')),
	symptoms: v.array(v.strictObject({ id, label: text, expected: v.optional(expectation) })),
	/** Yes/no observations the patient can tick. */
	signs: v.array(v.strictObject({ id, label: text, expected: v.optional(expectation) })),
	/** Care the patient can record; `taskId` links it to the plan's task. */
	care: v.array(v.strictObject({ id, label: text, taskId: v.optional(id) })),
	/** When an entry raises a warning sign. */
	alerts: v.array(
		v.strictObject({
			id,
			warningSign: id,
			/** A symptom at this level or worse… */
			symptom: v.optional(id),
			atLeast: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
			/** …or any of these signs ticked… */
			anySign: v.optional(v.array(id)),
			/** …and only after the recovery window (`recovery.expectedDays`). */
			afterRecoveryWindow: v.optional(v.boolean(), false)
		})
	),
	clinicDefault: optionalText
});

/** A translated text: see protocol-translation.ts. */
const translatedText = v.pipe(
	v.string('must be a text in quotes'),
	v.trim(),
	v.nonEmpty('must not be empty')
);

const protocolSchema = v.strictObject({
	id,
	version: v.pipe(v.number(), v.integer(), v.minValue(1)),
	/** The BCP 47 tag of the language the protocol's own texts are in. */
	language: v.optional(
		v.pipe(
			v.string(),
			v.trim(),
			v.check(
				(tag) => canonicalTag(tag) === tag,
				'must be a language tag in its usual spelling, such as "en" or "de-AT"'
			)
		),
		'en'
	),
	/**
	 * The texts in other languages: by language tag, a map from a text's path to its translation
	 * (protocol-translation.ts). A text without one is shown in `language`.
	 */
	translations: v.optional(v.record(v.string(), v.record(v.string(), translatedText)), {}),
	title: text,
	sourceTitle: text,
	disclaimer: text,
	clinic: v.optional(
		v.strictObject({
			name: optionalText,
			phone: v.optional(
				v.pipe(
					v.string(),
					v.trim(),
					v.regex(/^$|^\+?[0-9 ()./-]{3,30}$/, 'must be a phone number such as +44 20 7946 0000')
				),
				''
			),
			website: v.optional(
				v.pipe(v.string(), v.trim(), v.regex(/^$|^https?:\/\/\S+$/, 'must be an http(s) address')),
				''
			),
			email: v.optional(
				v.pipe(
					v.string(),
					v.trim(),
					v.maxLength(254, 'must be at most 254 characters'),
					v.regex(
						/^$|^[^\s@<>"]+@[^\s@<>".]+(\.[^\s@<>".]+)+$/,
						'must be an email address such as care@example-clinic.org'
					)
				),
				''
			),
			/**
			 * In the file: the logo's path (SVG or PNG, ≤ 100 KB), relative to the protocol file; the
			 * server checks it at start. As served to the phones: the address it is served at
			 * (`/api/clinic/logo?v=…`).
			 */
			logo: optionalText,
			/**
			 * The clinic's colour (`#rrggbb`), the light theme's `--brand`: refused unless it reads at
			 * 4.5:1 on the app's light backgrounds and under white text (contrast.ts).
			 */
			accent: v.optional(
				v.pipe(
					v.string(),
					v.trim(),
					v.regex(/^$|^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb, such as #0b5560'),
					v.toLowerCase()
				),
				''
			)
		}),
		{}
	),
	phases: v.pipe(
		v.array(
			v.strictObject({
				id,
				title: text,
				description: text,
				/** Occurrences on the treatment day before the appointment are left out. */
				afterTreatment: v.boolean('must be true or false'),
				/** Only before the first session the patient has entered (e.g. skin preparation). */
				firstSessionOnly: v.optional(v.boolean('must be true or false'), false)
			})
		),
		v.minLength(1, 'must list at least one phase')
	),
	recovery: v.strictObject({
		/** Days redness and swelling are expected to last; past it, they are a reason to call. */
		expectedDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)),
		/** What Today says during recovery. */
		text,
		source
	}),
	/** What the treatment form offers. */
	treatmentOptions: v.strictObject({
		areas: v.pipe(
			v.array(v.strictObject({ id, label: text })),
			v.minLength(1, 'must list at least one area')
		),
		needleDepthMm: v.strictObject({
			min: v.pipe(v.number(), v.minValue(0)),
			max: v.pipe(v.number(), v.minValue(0)),
			source
		}),
		source
	}),
	/** Said wherever the app tells the patient to contact their provider. */
	emergencyAdvice: text,
	series: v.strictObject({
		intervalDays: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)),
		source,
		clinicDefault: optionalText
	}),
	screening: v.strictObject({
		intro: text,
		advice: text,
		source,
		questions: v.pipe(
			v.array(v.strictObject({ id, text, source })),
			v.minLength(1, 'must ask at least one question')
		)
	}),
	warningSigns: v.array(
		v.strictObject({
			id,
			title: text,
			text,
			source,
			clinicDefault: optionalText,
			/**
			 * How soon to call: `today` (signs of infection: call the same day) or `soon` (worth a
			 * call, not urgent). A sign without it counts as `today`: when unsure, call.
			 */
			urgency: v.optional(v.picklist(urgencies, 'must be "today" or "soon"'), 'today')
		})
	),
	tasks: v.pipe(v.array(taskSchema), v.minLength(1, 'must list at least one task')),
	diary: diarySchema
});

export type Protocol = v.InferOutput<typeof protocolSchema>;
export type ProtocolTask = Protocol['tasks'][number];
export type TaskSchedule = ProtocolTask['schedule'];
export type Phase = Protocol['phases'][number];
export type WarningSign = Protocol['warningSigns'][number];
export type Clinic = Protocol['clinic'];
export type DiaryConfig = Protocol['diary'];
export type DiaryAlert = DiaryConfig['alerts'][number];

/** One thing wrong with a protocol file: where, and why. */
export interface ProtocolProblem {
	/**
	 * Path into the file, an item of a list named by its id where it has one, so a clinic can find
	 * it: `tasks[numbing-cream].schedule.to`, `screening.questions[2].text`.
	 */
	field: string;
	message: string;
}

/**
 * A valid protocol comes with `warnings`, which do not stop it: texts a declared translation
 * lacks (shown in the protocol's own language), one line per language.
 */
export type ProtocolResult =
	{ ok: true; protocol: Protocol; warnings: string[] } | { ok: false; problems: ProtocolProblem[] };

/**
 * Validates untrusted JSON as a protocol and reports every problem found, not only the first:
 * the shape of each field, then the rules that tie fields together.
 * @param input parsed JSON of a protocol file
 */
export function parseProtocol(input: unknown): ProtocolResult {
	const parsed = v.safeParse(protocolSchema, input, { abortEarly: false });
	const named = (problems: ProtocolProblem[]) =>
		problems.map((problem) => ({ ...problem, field: fieldName(input, problem.field) }));
	if (!parsed.success) {
		return {
			ok: false,
			problems: named([
				...parsed.issues.map((issue) => ({
					field: v.getDotPath(issue) ?? '(file)',
					message: issue.message.startsWith('Invalid key')
						? 'is not a field of the protocol: check its spelling'
						: issue.message
				})),
				// The checks across fields still run where the parts they read are well formed.
				...crossFieldProblems(input)
			]).concat(translationProblems(input))
		};
	}
	const problems = named(crossFieldProblems(parsed.output)).concat(
		translationProblems(
			parsed.output,
			new Set(protocolTexts(parsed.output).map((text) => text.path))
		)
	);
	return problems.length > 0
		? { ok: false, problems }
		: { ok: true, protocol: parsed.output, warnings: translationWarnings(parsed.output) };
}

/**
 * Turns a dotted path (`tasks.5.phase`) into one a person can follow in the file: an item of a
 * list is named by its `id` when it has a usable one (`tasks[numbing-cream].phase`), else by its
 * position (`tasks[5]`).
 * @param input the file as parsed, which the path points into
 * @param dotted the path as the checks report it
 */
function fieldName(input: unknown, dotted: string): string {
	if (dotted === '(file)') {
		return dotted;
	}
	let name = '';
	let at: unknown = input;
	for (const segment of dotted.split('.')) {
		if (Array.isArray(at) && /^\d+$/.test(segment)) {
			const item: unknown = at[Number(segment)];
			const itemId = isRecord(item) ? item.id : undefined;
			name +=
				typeof itemId === 'string' && /^[\w-]{1,60}$/.test(itemId) ? `[${itemId}]` : `[${segment}]`;
			at = item;
		} else {
			name += name === '' ? segment : `.${segment}`;
			at = isRecord(at) ? at[segment] : undefined;
		}
	}
	return name;
}

/**
 * Rules that tie fields together. They read the input defensively, because they also run when
 * the shape is wrong somewhere, so that a clinic sees every problem in one go.
 */
function crossFieldProblems(input: unknown): ProtocolProblem[] {
	const protocol = (isRecord(input) ? input : {}) as Partial<Record<keyof Protocol, unknown>>;
	const problems: ProtocolProblem[] = [];
	const ids = (items: unknown[]) => items.map((item) => (isRecord(item) ? item.id : undefined));
	const idSet = (items: unknown[]) => new Set(ids(items).filter((one) => typeof one === 'string'));
	const duplicates = (items: unknown[], list: string) =>
		ids(items).forEach((one, index, all) => {
			if (typeof one === 'string' && all.indexOf(one) !== index) {
				problems.push({ field: `${list}.${index}.id`, message: `"${one}" is used twice` });
			}
		});
	const reference = (value: unknown, known: Set<unknown>, field: string, what: string) => {
		if (typeof value === 'string' && !known.has(value)) {
			problems.push({ field, message: `"${value}" is not one of ${what}` });
		}
	};

	const phases = list(protocol.phases);
	const tasks = list(protocol.tasks);
	const warningSigns = list(protocol.warningSigns);
	const screening = isRecord(protocol.screening) ? protocol.screening : {};
	const diary = isRecord(protocol.diary) ? protocol.diary : {};
	duplicates(phases, 'phases');
	duplicates(tasks, 'tasks');
	duplicates(warningSigns, 'warningSigns');
	duplicates(list(screening.questions), 'screening.questions');
	duplicates(list(diary.alerts), 'diary.alerts');

	const phaseIds = idSet(phases);
	tasks.filter(isRecord).forEach((task, index) => {
		reference(
			task.phase,
			phaseIds,
			`tasks.${index}.phase`,
			`the phases (${[...phaseIds].join(', ')})`
		);
		const schedule = isRecord(task.schedule) ? task.schedule : {};
		if (
			typeof schedule.from === 'number' &&
			typeof schedule.to === 'number' &&
			schedule.to < schedule.from
		) {
			problems.push({
				field: `tasks.${index}.schedule.to`,
				message: `day ${schedule.to} is before the first day ${schedule.from}`
			});
		}
		if (task.kind === 'info' && task.remind === true) {
			problems.push({
				field: `tasks.${index}.remind`,
				message: 'an "info" task has nothing to do, so it cannot send a reminder'
			});
		}
		if (
			task.kind === 'appointment' &&
			!(
				schedule.kind === 'appointment' &&
				typeof schedule.minutesFromAppointment === 'number' &&
				schedule.minutesFromAppointment <= 0
			)
		) {
			problems.push({
				field: `tasks.${index}.schedule`,
				message:
					'an "appointment" task needs a schedule of kind "appointment" with minutesFromAppointment of 0 or less (before the appointment)'
			});
		}
		if (task.allDay === true && !(task.kind === 'care' && schedule.kind === 'days')) {
			problems.push({
				field: `tasks.${index}.allDay`,
				message: 'only a "care" task with a schedule of kind "days" can be for the whole day'
			});
		}
		if (schedule.kind === 'untilTreatment' && task.kind !== 'care') {
			problems.push({
				field: `tasks.${index}.kind`,
				message: 'a task "untilTreatment" stays until it is ticked off, so it must be "care"'
			});
		}
		if (task.askPatient !== undefined && task.kind === 'appointment') {
			problems.push({
				field: `tasks.${index}.askPatient`,
				message: 'every patient has an appointment: an "appointment" task cannot be optional'
			});
		}
	});

	const signIds = idSet(warningSigns);
	const symptomIds = idSet(list(diary.symptoms));
	const observationIds = idSet(list(diary.signs));
	const levels = list(diary.levels).length;
	list(diary.alerts)
		.filter(isRecord)
		.forEach((alert, index) => {
			const at = `diary.alerts.${index}`;
			reference(alert.warningSign, signIds, `${at}.warningSign`, 'the warningSigns');
			const bySymptom = alert.symptom !== undefined;
			if (bySymptom === (alert.anySign !== undefined)) {
				problems.push({
					field: at,
					message: 'must have either "symptom" with "atLeast", or "anySign"'
				});
			}
			reference(alert.symptom, symptomIds, `${at}.symptom`, 'diary.symptoms');
			if (bySymptom && !(typeof alert.atLeast === 'number' && alert.atLeast < levels)) {
				problems.push({
					field: `${at}.atLeast`,
					message: `must be a level from 1 to ${levels - 1}`
				});
			}
			list(alert.anySign).forEach((sign, signIndex) =>
				reference(sign, observationIds, `${at}.anySign.${signIndex}`, 'diary.signs')
			);
		});
	const taskIds = idSet(tasks);
	list(diary.care)
		.filter(isRecord)
		.forEach((care, index) =>
			reference(care.taskId, taskIds, `diary.care.${index}.taskId`, 'the tasks')
		);

	const clinic = isRecord(protocol.clinic) ? protocol.clinic : {};
	if (typeof clinic.accent === 'string' && hexColour.test(clinic.accent.trim())) {
		const problem = accentContrastProblem(clinic.accent.trim());
		if (problem) {
			problems.push({ field: 'clinic.accent', message: problem });
		}
	}
	if (
		typeof clinic.logo === 'string' &&
		clinic.logo.trim() !== '' &&
		!(typeof clinic.name === 'string' && clinic.name.trim() !== '')
	) {
		problems.push({
			field: 'clinic.logo',
			message: 'needs clinic.name too: the name is what the logo says to people who cannot see it'
		});
	}

	const options = isRecord(protocol.treatmentOptions) ? protocol.treatmentOptions : {};
	const depth = isRecord(options.needleDepthMm) ? options.needleDepthMm : {};
	if (typeof depth.min === 'number' && typeof depth.max === 'number' && depth.max < depth.min) {
		problems.push({
			field: 'treatmentOptions.needleDepthMm.max',
			message: 'must not be below min'
		});
	}
	return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** Formats problems one per line, for the message that stops the server. */
export function describeProblems(problems: ProtocolProblem[]): string {
	return problems.map((problem) => `  - ${problem.field}: ${problem.message}`).join('\n');
}
