/**
 * What the compiled messages (src/lib/paraglide/messages) need of Paraglide's runtime: the locale
 * to speak, read afresh at every call. vite.config.ts points the messages' runtime import here.
 * Paraglide's own runtime also carries the URL, cookie and server strategies an offline,
 * client-rendered app never uses: about 1 KB gzip of every first visit (docs/decisions/0006).
 * Its list of locales is still the one source of which languages exist.
 */
import { baseLocale, type Locale } from '$lib/paraglide/runtime';

/** Set for per-locale builds only; this app has one build for every language. */
export const experimentalStaticLocale: Locale | undefined = undefined;

let current: () => Locale = () => baseLocale;

/** The locale every message speaks in, unless a call names one. */
export function getLocale(): Locale {
	return current();
}

/** Where the locale comes from: src/lib/i18n/language.svelte.ts, once, at start. */
export function readLocaleFrom(source: () => Locale): void {
	current = source;
}
