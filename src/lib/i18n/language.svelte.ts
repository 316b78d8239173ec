// The language the app speaks: the patient's choice kept on this phone, else the phone's own
// languages, else English (pick-locale.ts). No locale in the URL: start_url, scope and enrolment
// links stay one each. Every message function reads `getLocale()` (message-runtime.ts), which reads
// reactive state here, so choosing a language re-words every screen at once, with no reload.
//
// Kept in localStorage like the theme: it is read synchronously before the first screen renders,
// it says nothing about the patient's health, and it works offline.
import { locales, type Locale } from '$lib/paraglide/runtime';
import { readLocaleFrom } from './message-runtime';
import { pickLocale } from './pick-locale';

/** The localStorage key of the patient's choice; absent means "follow the phone". */
export const languageKey = 'aftercare.language';

/**
 * A language's name in itself ("Deutsch", "English"), for the switch: from `Intl`, so a new
 * language needs only its messages.
 */
export function languageName(locale: string): string {
	const name = new Intl.DisplayNames([locale], { type: 'language' }).of(locale) ?? locale;
	return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/**
 * The page's storage and document, typed loosely: the service worker's bundle reaches this module
 * (through the words of its reminders) and has neither.
 */
const page = globalThis as {
	localStorage?: {
		getItem(key: string): string | null;
		setItem(key: string, value: string): void;
		removeItem(key: string): void;
	};
	document?: { documentElement: { lang: string } };
};

function readChoice(): string | null {
	try {
		return page.localStorage?.getItem(languageKey) ?? null;
	} catch {
		// Blocked storage (some private modes): the phone's languages still apply.
		return null;
	}
}

function phoneLanguages(): readonly string[] {
	return globalThis.navigator?.languages ?? [];
}

let choice = $state<string | null>(readChoice());
const pick = $derived(pickLocale(choice, phoneLanguages(), locales));

export const language = {
	/** The catalogue in use. */
	get current(): Locale {
		return pick.locale;
	},
	/** The tag for `Intl` and the protocol's texts (`de-AT` from an Austrian phone). */
	get tag(): string {
		return pick.tag;
	},
	/** The patient's own choice, or null while the app follows the phone. */
	get chosen(): Locale | null {
		return choice === null ? null : pick.locale;
	},
	/** Remembers a choice (null: follow the phone again) and applies it at once. */
	choose(locale: Locale | null): void {
		choice = locale;
		try {
			if (locale) {
				page.localStorage?.setItem(languageKey, locale);
			} else {
				page.localStorage?.removeItem(languageKey);
			}
		} catch (error) {
			// Applied for this visit; only the next start would follow the phone again.
			console.error(error);
		}
		setDocumentLanguage();
	}
};

/** `<html lang>` follows, so screen readers pronounce the words in the right language. */
function setDocumentLanguage(): void {
	if (page.document) {
		page.document.documentElement.lang = pick.tag;
	}
}

readLocaleFrom(
	() => pick.locale,
	() => pick.tag
);
setDocumentLanguage();
