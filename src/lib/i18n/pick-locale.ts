/**
 * Which of the app's languages to show, and the language tag to format dates with: the patient's
 * own choice when there is one, else the first of the phone's languages the app has (`de-AT`
 * matches `de`), else the first language (English). Pure, so the rule is tested without a phone.
 */
export interface LocalePick<L extends string> {
	/** The app's catalogue to read: one of `available`. */
	locale: L;
	/**
	 * The tag that picked it, region included (`de-AT` from a phone set to Austrian German), for
	 * `Intl` and for a protocol's regional texts; the locale itself when nothing more is known.
	 */
	tag: string;
}

/** The language part of a BCP 47 tag, lower-cased: `de` of `de-AT`. */
export function languageOf(tag: string): string {
	return tag.split('-')[0]!.toLowerCase();
}

/** A well-formed BCP 47 tag in its canonical spelling (`de-AT`), or null. */
export function canonicalTag(tag: string): string | null {
	try {
		return Intl.getCanonicalLocales(tag)[0] ?? null;
	} catch {
		return null;
	}
}

/**
 * @param chosen the patient's saved choice, or null to follow the phone
 * @param preferred the phone's languages, most wanted first (`navigator.languages`)
 * @param available the app's languages, the default first
 */
export function pickLocale<L extends string>(
	chosen: string | null,
	preferred: readonly string[],
	available: readonly L[]
): LocalePick<L> {
	const find = (tag: string) =>
		available.find((locale) => locale.toLowerCase() === tag.toLowerCase()) ??
		available.find((locale) => languageOf(locale) === languageOf(tag));
	const chosenLocale = chosen ? find(chosen) : undefined;
	if (chosenLocale) {
		return { locale: chosenLocale, tag: chosenLocale };
	}
	for (const wanted of preferred) {
		const tag = canonicalTag(wanted);
		const locale = tag ? find(tag) : undefined;
		if (tag && locale) {
			return { locale, tag };
		}
	}
	return { locale: available[0]!, tag: available[0]! };
}

/**
 * The tags to look for a text under, most specific first, ending with the default language:
 * `de-AT`, `de`, `en`. A protocol's translations are read in this order.
 */
export function fallbackChain(tag: string, defaultLanguage: string): string[] {
	const chain: string[] = [];
	const parts = tag.split('-');
	for (let length = parts.length; length > 0; length--) {
		chain.push(parts.slice(0, length).join('-'));
	}
	if (!chain.includes(defaultLanguage)) {
		chain.push(defaultLanguage);
	}
	return chain;
}
