import { language } from '$lib/i18n/language.svelte';
import { languageOf } from '$lib/i18n/pick-locale';
import { m } from '$lib/paraglide/messages';

/**
 * The note shown with a `source` quote when the patient reads the app in another language than
 * the protocol's own: the quotes are never translated (they are the trace to the guide), so the
 * patient is told why they read English. Null when the languages are the same.
 * @param protocolLanguage the protocol's `language` (its quotes' language)
 */
export function quoteNote(protocolLanguage: string): string | null {
	if (languageOf(language.tag) === languageOf(protocolLanguage)) {
		return null;
	}
	if (languageOf(protocolLanguage) === 'en') {
		return m.protocol_quoted_from_english();
	}
	let name: string | undefined;
	try {
		name = new Intl.DisplayNames([language.tag], { type: 'language' }).of(protocolLanguage);
	} catch {
		// A tag this browser cannot name: the tag itself.
	}
	return m.protocol_quoted_from_language({ language: name ?? protocolLanguage });
}
