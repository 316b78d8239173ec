import { canonicalTag, fallbackChain } from '$lib/i18n/pick-locale';

/**
 * A protocol's translations: its own texts are in its `language` (default English), and
 * `translations` maps a language tag to the translated texts by path, e.g.
 * `{ "de": { "tasks[ice-pack].title": "Kühlpack …" } }`. An item of a list of objects is named by
 * its id (`phases[recovery].description`), an item of a list of texts by its position
 * (`tasks[procedure].items[0]`, `diary.levels[2]`).
 *
 * Translated: every text the patient reads. Not translated: the `source` quotes and the
 * `sourceTitle` (they stay the guide's own words, the trace to the source), ids, numbers and the
 * clinic's contact details.
 *
 * Pure and apart from `protocol.ts` (which checks translations with it), so the phone gets it
 * without the validation schema and its library; it reads the protocol through the shape below,
 * which the protocol's type fits. A new text field of the protocol needs a line in `mapTexts`.
 */

/** A list item the texts of which are named by its id. */
interface Item {
	id: string;
}

/** The parts of a protocol that hold translatable texts (`Protocol` fits it). */
export interface TranslatableProtocol {
	/** The BCP 47 tag of the protocol's own texts. */
	language?: string;
	translations?: Record<string, Record<string, string>>;
	title: string;
	disclaimer: string;
	phases: (Item & { title: string; description: string })[];
	recovery: { text: string };
	treatmentOptions: { areas: (Item & { label: string })[] };
	emergencyAdvice: string;
	series: { clinicDefault: string };
	screening: { intro: string; advice: string; questions: (Item & { text: string })[] };
	warningSigns: (Item & { title: string; text: string; clinicDefault: string })[];
	tasks: (Item & {
		title: string;
		text: string;
		items: string[];
		clinicDefault: string;
		askPatient?: { question: string; hint: string };
	})[];
	diary: {
		levels: string[];
		symptoms: (Item & { label: string; expected?: { text: string } })[];
		signs: (Item & { label: string; expected?: { text: string } })[];
		care: (Item & { label: string })[];
		clinicDefault: string;
	};
}

/** One translatable text and where it is. */
export interface ProtocolText {
	path: string;
	text: string;
}

/** The language of a protocol's own texts. */
export function protocolLanguage(protocol: Pick<TranslatableProtocol, 'language'>): string {
	return protocol.language || 'en';
}

/**
 * A copy of the protocol with each text replaced by `replace(path, text)`, called in document
 * order. Empty optional texts (a `clinicDefault` of "") are not texts: left as they are.
 */
function mapTexts<P extends TranslatableProtocol>(
	protocol: P,
	replace: (path: string, text: string) => string
): P {
	const t = (path: string, text: string) => (text === '' ? text : replace(path, text));
	const p: TranslatableProtocol = protocol;
	const copy: TranslatableProtocol = {
		...p,
		title: t('title', p.title),
		disclaimer: t('disclaimer', p.disclaimer),
		phases: p.phases.map((phase) => ({
			...phase,
			title: t(`phases[${phase.id}].title`, phase.title),
			description: t(`phases[${phase.id}].description`, phase.description)
		})),
		recovery: { ...p.recovery, text: t('recovery.text', p.recovery.text) },
		treatmentOptions: {
			...p.treatmentOptions,
			areas: p.treatmentOptions.areas.map((area) => ({
				...area,
				label: t(`treatmentOptions.areas[${area.id}].label`, area.label)
			}))
		},
		emergencyAdvice: t('emergencyAdvice', p.emergencyAdvice),
		series: { ...p.series, clinicDefault: t('series.clinicDefault', p.series.clinicDefault) },
		screening: {
			...p.screening,
			intro: t('screening.intro', p.screening.intro),
			advice: t('screening.advice', p.screening.advice),
			questions: p.screening.questions.map((question) => ({
				...question,
				text: t(`screening.questions[${question.id}].text`, question.text)
			}))
		},
		warningSigns: p.warningSigns.map((sign) => ({
			...sign,
			title: t(`warningSigns[${sign.id}].title`, sign.title),
			text: t(`warningSigns[${sign.id}].text`, sign.text),
			clinicDefault: t(`warningSigns[${sign.id}].clinicDefault`, sign.clinicDefault)
		})),
		tasks: p.tasks.map((task) => {
			const at = `tasks[${task.id}]`;
			return {
				...task,
				title: t(`${at}.title`, task.title),
				text: t(`${at}.text`, task.text),
				items: task.items.map((item, index) => t(`${at}.items[${index}]`, item)),
				clinicDefault: t(`${at}.clinicDefault`, task.clinicDefault),
				...(task.askPatient && {
					askPatient: {
						...task.askPatient,
						question: t(`${at}.askPatient.question`, task.askPatient.question),
						hint: t(`${at}.askPatient.hint`, task.askPatient.hint)
					}
				})
			};
		}),
		diary: {
			...p.diary,
			levels: p.diary.levels.map((level, index) => t(`diary.levels[${index}]`, level)),
			symptoms: p.diary.symptoms.map((symptom) => observation('symptoms', symptom)),
			signs: p.diary.signs.map((sign) => observation('signs', sign)),
			care: p.diary.care.map((care) => ({
				...care,
				label: t(`diary.care[${care.id}].label`, care.label)
			})),
			clinicDefault: t('diary.clinicDefault', p.diary.clinicDefault)
		}
	};
	function observation<O extends Item & { label: string; expected?: { text: string } }>(
		list: string,
		item: O
	): O {
		const at = `diary.${list}[${item.id}]`;
		return {
			...item,
			label: t(`${at}.label`, item.label),
			...(item.expected && {
				expected: { ...item.expected, text: t(`${at}.expected.text`, item.expected.text) }
			})
		};
	}
	return copy as P;
}

/**
 * Every translatable text of the protocol (in its own language) with its path, in document order.
 * @param protocol a valid protocol
 */
export function protocolTexts(protocol: TranslatableProtocol): ProtocolText[] {
	const texts: ProtocolText[] = [];
	mapTexts(protocol, (path, text) => {
		texts.push({ path, text });
		return text;
	});
	return texts;
}

/**
 * The translations to read for a tag, merged: the most specific wins (`de-AT` over `de`); the
 * protocol's own language ends the chain and needs none.
 */
function translationsFor(protocol: TranslatableProtocol, tag: string): Map<string, string> {
	const own = protocolLanguage(protocol);
	const merged = new Map<string, string>();
	const chain = fallbackChain(tag, own);
	for (const locale of chain.slice(0, chain.indexOf(own)).reverse()) {
		for (const [path, text] of Object.entries(protocol.translations?.[locale] ?? {})) {
			merged.set(path, text);
		}
	}
	return merged;
}

/**
 * The protocol as a patient reading `tag` sees it: each text replaced by the first translation
 * along the fallback chain (`de-AT`, `de`, then the protocol's own language); a text with none
 * stays as it is. The translations stay in the copy, so it can be localized again. The same
 * object comes back when nothing is translated for the tag (an English phone, an English protocol).
 * @param protocol a valid protocol
 * @param tag a BCP 47 tag such as `de-AT` (`language.tag`)
 */
export function localizeProtocol<P extends TranslatableProtocol>(protocol: P, tag: string): P {
	const translated = translationsFor(protocol, tag);
	if (translated.size === 0) {
		return protocol;
	}
	return mapTexts(protocol, (path, text) => translated.get(path) ?? text);
}

/**
 * For each language the protocol is translated into, the texts still in its own language (a
 * regional translation counts what its language has: `de-AT` falls back to `de`).
 */
export function missingTranslations(
	protocol: TranslatableProtocol
): { locale: string; paths: string[] }[] {
	const paths = protocolTexts(protocol).map((text) => text.path);
	return Object.keys(protocol.translations ?? {})
		.map((locale) => {
			const translated = translationsFor(protocol, locale);
			return { locale, paths: paths.filter((path) => !translated.has(path)) };
		})
		.filter((missing) => missing.paths.length > 0);
}

/** A translation path that names a `source` quote or the `sourceTitle`. */
const sourcePath = /(^|\.)source(\[\d+\])?$|^sourceTitle$/;

/**
 * What is wrong with a protocol's translations, for `parseProtocol`: a locale that is not a
 * language tag in its canonical spelling, or is the protocol's own language; a path that names a
 * `source` quote, or no text of the protocol. (Texts that are not strings or are empty are the
 * schema's to refuse.) Paths are checked only when `texts` is given, i.e. the rest of the
 * protocol is well formed.
 * @param input the file as parsed
 * @param texts the protocol's translatable paths, when it is valid
 */
export function translationProblems(
	input: unknown,
	texts?: ReadonlySet<string>
): { field: string; message: string }[] {
	const file = isRecord(input) ? input : {};
	const translations = isRecord(file.translations) ? file.translations : {};
	const own = typeof file.language === 'string' ? file.language.trim() || 'en' : 'en';
	const problems: { field: string; message: string }[] = [];
	for (const [locale, paths] of Object.entries(translations)) {
		const at = `translations.${locale}`;
		const canonical = canonicalTag(locale);
		if (canonical === null) {
			problems.push({
				field: at,
				message: 'is not a language tag: name the language as "de", or with its region as "de-AT"'
			});
		} else if (canonical !== locale) {
			problems.push({ field: at, message: `must be written "${canonical}"` });
		} else if (locale === own) {
			problems.push({
				field: at,
				message: `is the protocol's own language ("${own}"): its texts need no translation`
			});
		}
		if (!isRecord(paths)) {
			continue; // The schema says what is wrong with it.
		}
		for (const path of Object.keys(paths)) {
			if (sourcePath.test(path)) {
				problems.push({
					field: `${at}.${path}`,
					message:
						'is a quote from the clinical source: it stays in the words of the guide and is not translated'
				});
			} else if (texts && !texts.has(path)) {
				problems.push({
					field: `${at}.${path}`,
					message:
						'names no text of the protocol that can be translated: check the path and the ids in it'
				});
			}
		}
	}
	return problems;
}

/**
 * One warning per language with untranslated texts, for the server's log: those texts are shown
 * in the protocol's own language.
 * @param protocol a valid protocol
 */
export function translationWarnings(protocol: TranslatableProtocol): string[] {
	const shown = 12;
	return missingTranslations(protocol).map(({ locale, paths }) => {
		const more = paths.length > shown ? `, and ${paths.length - shown} more` : '';
		return `translations.${locale}: ${paths.length} text${paths.length === 1 ? '' : 's'} not translated, shown in "${protocolLanguage(protocol)}": ${paths.slice(0, shown).join(', ')}${more}`;
	});
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
