import { fallbackChain } from '$lib/i18n/pick-locale';

// One text of a protocol in the patient's language, apart from protocol-translation.ts: the root
// layout shows the disclaimer on every first visit, and this is all it needs of translations
// (a module of its own, so the code that localizes a whole protocol stays out of that visit).

/** What of a protocol finding one translated text needs. */
interface Translated {
	/** The BCP 47 tag of the protocol's own texts; English when absent. */
	language?: string;
	translations?: Record<string, Record<string, string>>;
}

/**
 * One text of the protocol as a patient reading `tag` sees it, without localizing the rest: for a
 * screen that shows only that text (the layout's disclaimer, on every first visit).
 * @param path the text's path, as in `translations` (`disclaimer`)
 * @param text the text in the protocol's own language
 */
export function localizedText(
	protocol: Translated,
	path: string,
	text: string,
	tag: string
): string {
	const own = protocol.language || 'en';
	for (const locale of fallbackChain(tag, own)) {
		if (locale === own) {
			break;
		}
		const translated = protocol.translations?.[locale]?.[path];
		if (translated) {
			return translated;
		}
	}
	return text;
}
