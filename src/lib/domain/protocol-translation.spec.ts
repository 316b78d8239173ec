import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteNote } from '$lib/components/plan/quote-note';
import { language } from '$lib/i18n/language.svelte';
import { parseProtocol, type Protocol } from './protocol';
import {
	localizeProtocol,
	missingTranslations,
	protocolTexts,
	translationWarnings
} from './protocol-translation';
import { localizedText } from './protocol-text';
import raw from './protocols/microneedling.json';

const parsed = parseProtocol(raw);
if (!parsed.ok) {
	throw new Error('The default protocol is invalid');
}
const protocol: Protocol = parsed.protocol;
/** A deep copy of the default protocol to change on purpose. */
const copy = (): Record<string, unknown> & typeof raw => structuredClone(raw);
const task = (one: Protocol, id: string) => one.tasks.find((found) => found.id === id)!;

describe('protocolTexts', () => {
	const texts = protocolTexts(protocol);
	const paths = texts.map((text) => text.path);

	it('lists every text the patient reads, by id or position, in document order', () => {
		expect(paths[0]).toBe('title');
		expect(paths).toContain('phases[recovery].description');
		expect(paths).toContain('tasks[ice-pack].title');
		expect(paths).toContain('tasks[procedure].items[0]');
		expect(paths).toContain('tasks[vitamin-cream].askPatient.hint');
		expect(paths).toContain('screening.questions[acne].text');
		expect(paths).toContain('diary.symptoms[redness].label');
		expect(paths).toContain('diary.symptoms[redness].expected.text');
		expect(paths).toContain('diary.levels[3]');
		expect(paths.indexOf('screening.intro')).toBeLessThan(
			paths.indexOf('tasks[consultation].title')
		);
		expect(paths.at(-1)).toBe('diary.clinicDefault');
		expect(new Set(paths).size).toBe(paths.length);
		expect(texts.find((text) => text.path === 'tasks[ice-pack].title')?.text).toBe(
			'Ice pack for irritation and discomfort'
		);
	});

	it('leaves out the source quotes, ids, the clinic and empty notes', () => {
		expect(paths.filter((path) => /source|clinic\.|\.id$/i.test(path))).toEqual([]);
		expect(paths).not.toContain('tasks[numbing-cream].clinicDefault');
	});

	it('covers every string of the default protocol but the ones that are not translated', () => {
		// A new text field in the schema must be added to protocol-translation.ts too.
		const kept =
			/^(id|phase|kind|source|sourceTitle|language|warningSign|symptom|taskId|urgency|onlyIf|times|anySign)$/;
		const strings: string[] = [];
		const walk = (value: unknown, key: string) => {
			if (typeof value === 'string') {
				if (!kept.test(key) && value !== '') {
					strings.push(value);
				}
			} else if (Array.isArray(value)) {
				value.forEach((item) => walk(item, key));
			} else if (typeof value === 'object' && value !== null) {
				for (const [name, item] of Object.entries(value)) {
					if (name !== 'clinic' && name !== 'translations') {
						walk(item, name);
					}
				}
			}
		};
		walk(raw, '');
		expect(texts.map((text) => text.text).sort()).toEqual(strings.sort());
	});
});

describe('localizeProtocol', () => {
	it('returns the protocol itself when nothing is translated for the tag', () => {
		expect(localizeProtocol(protocol, 'en')).toBe(protocol);
		expect(localizeProtocol(protocol, 'fr-FR')).toBe(protocol);
	});

	it('translates every text into German, and keeps the source quotes and the rest', () => {
		const german = localizeProtocol(protocol, 'de');
		expect(german.title).toBe('Pflegeplan Microneedling');
		expect(task(german, 'ice-pack').title).toBe('Kühlpack bei Reizung und Beschwerden');
		expect(task(german, 'ice-pack').source).toBe(task(protocol, 'ice-pack').source);
		expect(task(german, 'ice-pack').schedule).toEqual(task(protocol, 'ice-pack').schedule);
		expect(german.diary.levels).toEqual(['Keine', 'Leicht', 'Mäßig', 'Stark']);
		expect(german.sourceTitle).toBe(protocol.sourceTitle);
		expect(german.translations).toBe(protocol.translations);
		// Pure: the protocol given is unchanged.
		expect(protocol.title).toBe('Microneedling care plan');
	});

	it('falls back from a region to its language (de-AT to de)', () => {
		expect(localizeProtocol(protocol, 'de-AT').title).toBe('Pflegeplan Microneedling');
	});

	it('prefers the regional text, and shows a text missing everywhere in the default language', () => {
		const mine = copy();
		delete (mine.translations.de as Record<string, string>)['tasks[ice-pack].text'];
		(mine.translations as Record<string, Record<string, string>>)['de-AT'] = {
			title: 'Pflegeplan Microneedling (Österreich)'
		};
		const result = parseProtocol(mine);
		if (!result.ok) {
			throw new Error(JSON.stringify(result.problems));
		}
		const austrian = localizeProtocol(result.protocol, 'de-AT');
		expect(austrian.title).toBe('Pflegeplan Microneedling (Österreich)');
		expect(task(austrian, 'ice-pack').title).toBe('Kühlpack bei Reizung und Beschwerden');
		expect(task(austrian, 'ice-pack').text).toBe(
			'An ice pack can help reduce irritation and discomfort.'
		);
		expect(localizeProtocol(result.protocol, 'de').title).toBe('Pflegeplan Microneedling');
	});

	it('reads an English translation of a protocol written in German', () => {
		const german = {
			...localizeProtocol(protocol, 'de'),
			language: 'de',
			translations: { en: { title: 'Microneedling care plan' } }
		};
		expect(localizeProtocol(german, 'en-GB').title).toBe('Microneedling care plan');
		expect(localizeProtocol(german, 'de').title).toBe('Pflegeplan Microneedling');
	});
});

describe('the German translation of the default protocol', () => {
	it('translates every text', () => {
		const german = protocol.translations.de ?? {};
		const untranslated = protocolTexts(protocol)
			.map((text) => text.path)
			.filter((path) => !german[path]);
		expect(untranslated).toEqual([]);
		expect(missingTranslations(protocol)).toEqual([]);
		expect(parsed.ok && parsed.warnings).toEqual([]);
	});

	it('speaks formally and keeps the warnings firm', () => {
		const texts = Object.values(protocol.translations.de ?? {});
		expect(texts.filter((text) => /\b(du|dich|dir|dein\w*)\b/i.test(text))).toEqual([]);
		for (const sign of localizeProtocol(protocol, 'de').warningSigns) {
			expect(sign.text).toMatch(
				/wenden Sie sich an Ihre Praxis|rufen Sie noch heute Ihre Praxis an/
			);
		}
	});
});

describe('missingTranslations', () => {
	it('lists what a language lacks, a region counting its language', () => {
		const mine = copy();
		const de = mine.translations.de as Record<string, string>;
		delete de['tasks[ice-pack].text'];
		delete de['diary.levels[2]'];
		(mine.translations as Record<string, Record<string, string>>)['de-CH'] = {
			'diary.levels[2]': 'Mässig'
		};
		const result = parseProtocol(mine);
		if (!result.ok) {
			throw new Error(JSON.stringify(result.problems));
		}
		expect(missingTranslations(result.protocol)).toEqual([
			{ locale: 'de', paths: ['tasks[ice-pack].text', 'diary.levels[2]'] },
			{ locale: 'de-CH', paths: ['tasks[ice-pack].text'] }
		]);
		expect(translationWarnings(result.protocol)).toEqual([
			'translations.de: 2 texts not translated, shown in "en": tasks[ice-pack].text, diary.levels[2]',
			'translations.de-CH: 1 text not translated, shown in "en": tasks[ice-pack].text'
		]);
		expect(result.warnings).toEqual(translationWarnings(result.protocol));
	});

	it('keeps a long list short', () => {
		const mine = copy();
		mine.translations.de = { title: 'Pflegeplan' } as typeof mine.translations.de;
		const result = parseProtocol(mine);
		expect(result.ok && result.warnings[0]).toMatch(
			/^translations\.de: \d+ texts not translated, shown in "en": disclaimer, phases\[preparation\]\.title, .*, and \d+ more$/
		);
	});
});

describe('the note with a source quote', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));

	it('says the quote is from the English guide when the app speaks German', () => {
		expect(quoteNote('en')).toBe('Zitat aus der englischen Anleitung');
		expect(quoteNote('de')).toBeNull();
		expect(quoteNote('fr')).toBe('Zitat aus der Anleitung auf Französisch');
	});
});

describe('parseProtocol on broken translations', () => {
	const problemsOf = (mine: unknown) => {
		const result = parseProtocol(mine);
		if (result.ok) {
			throw new Error('accepted');
		}
		return result.problems;
	};
	const withGerman = (texts: Record<string, unknown>) => {
		const mine = copy();
		(mine.translations as Record<string, unknown>).de = { ...mine.translations.de, ...texts };
		return mine;
	};

	it('refuses a locale that is not a language tag, or not in its usual spelling', () => {
		const mine = copy();
		(mine.translations as Record<string, unknown>)['not a tag'] = { title: 'x' };
		(mine.translations as Record<string, unknown>)['de-at'] = { title: 'x' };
		expect(problemsOf(mine)).toEqual([
			{ field: 'translations.not a tag', message: expect.stringMatching(/is not a language tag/) },
			{ field: 'translations.de-at', message: 'must be written "de-AT"' }
		]);
	});

	it("refuses a translation into the protocol's own language", () => {
		const mine = copy();
		(mine.translations as Record<string, unknown>).en = { title: 'x' };
		expect(problemsOf(mine)).toEqual([
			{ field: 'translations.en', message: expect.stringMatching(/own language \("en"\)/) }
		]);
	});

	it('refuses a path that names no text, naming the path', () => {
		expect(
			problemsOf(
				withGerman({ 'tasks[no-such-task].title': 'x', 'tasks[procedure].items[9]': 'x', id: 'x' })
			).map((problem) => problem.field)
		).toEqual([
			'translations.de.tasks[no-such-task].title',
			'translations.de.tasks[procedure].items[9]',
			'translations.de.id'
		]);
	});

	it('refuses a translation of a source quote', () => {
		expect(
			problemsOf(
				withGerman({
					'tasks[ice-pack].source': 'x',
					'warningSigns[bruising].source[1]': 'x',
					sourceTitle: 'x'
				})
			)
		).toEqual(
			['tasks[ice-pack].source', 'warningSigns[bruising].source[1]', 'sourceTitle'].map((path) => ({
				field: `translations.de.${path}`,
				message: expect.stringMatching(/quote from the clinical source/)
			}))
		);
	});

	it('refuses a text that is empty or not a string', () => {
		expect(problemsOf(withGerman({ title: '  ', disclaimer: 5 }))).toEqual([
			{ field: 'translations.de.title', message: 'must not be empty' },
			{ field: 'translations.de.disclaimer', message: 'must be a text in quotes' }
		]);
	});

	it('refuses a protocol language that is not a language tag', () => {
		const mine = copy();
		mine.language = 'en_GB';
		expect(problemsOf(mine)).toContainEqual({
			field: 'language',
			message: expect.stringMatching(/must be a language tag/)
		});
	});
});

describe('localizedText', () => {
	it('reads one text along the same fallback chain as localizeProtocol', async () => {
		const { defaultProtocol } = await import('./default-protocol');
		const protocol = defaultProtocol();
		for (const tag of ['de', 'de-AT', 'en', 'fr']) {
			expect(localizedText(protocol, 'disclaimer', protocol.disclaimer, tag)).toBe(
				localizeProtocol(protocol, tag).disclaimer
			);
		}
		expect(localizedText(protocol, 'disclaimer', protocol.disclaimer, 'de')).not.toBe(
			protocol.disclaimer
		);
	});
});
