/**
 * What the compiled messages (src/lib/paraglide/messages) need of Paraglide's runtime: the locale
 * to speak, read afresh at every call. vite.config.ts points the messages' runtime import here.
 * Paraglide's own runtime also carries the URL, cookie and server strategies an offline,
 * client-rendered app never uses: about 1 KB gzip of every first visit (docs/decisions/0006).
 * Its list of locales is still the one source of which languages exist.
 *
 * Plain TypeScript, no runes: the service worker's bundle reaches it through the words of its
 * reminders, and that build does not compile runes. The page's reactive state
 * (language.svelte.ts) plugs itself in at start; the worker speaks the base locale unless a call
 * names one.
 */
import { baseLocale, type Locale } from '$lib/paraglide/runtime';

/** Set for per-locale builds only; this app has one build for every language. */
export const experimentalStaticLocale: Locale | undefined = undefined;

let current: () => Locale = () => baseLocale;
let currentTag: () => string = () => current();

/** The locale every message speaks in, unless a call names one. */
export function getLocale(): Locale {
	return current();
}

/** The BCP 47 tag for `Intl`, region included (`de-AT`): dates and times written its way. */
export function getLanguageTag(): string {
	return currentTag();
}

/**
 * Where the locale and its tag come from: src/lib/i18n/language.svelte.ts, once, at start. Both
 * are read at every call, so a reactive source makes every message and date re-render.
 */
export function readLocaleFrom(locale: () => Locale, tag: () => string = locale): void {
	current = locale;
	currentTag = tag;
}
