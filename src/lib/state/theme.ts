// The patient's choice of screen colours. app.css holds both themes: dark follows the phone's
// setting (prefers-color-scheme) unless <html data-theme> says "light" or "dark". static/theme.js
// sets that attribute from the same stored choice before the first paint, so a reload never
// flashes the other theme; this module saves a new choice and applies it at once.
//
// Kept in localStorage, not IndexedDB: it is read synchronously before the app's code has loaded,
// and a display preference says nothing about the patient's health, so it needs none of the
// diary's care (it is left out of backups, and "Delete all my data" leaves it too).

/** Follow the phone, or always light, or always dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** The localStorage key; static/theme.js reads it too. */
export const themeKey = 'aftercare.theme';

/** The stored choice, or "system" when there is none, or storage is unreadable. */
export function readThemeChoice(storage: Pick<Storage, 'getItem'>): ThemeChoice {
	try {
		const stored = storage.getItem(themeKey);
		return stored === 'light' || stored === 'dark' ? stored : 'system';
	} catch {
		// Storage may be blocked (some private modes): the phone's setting still applies.
		return 'system';
	}
}

/**
 * Applies a choice to the page: the `data-theme` attribute app.css reads, and the browser bar's
 * colour (app.html has a `theme-color` for each scheme; the chosen one applies always, the other
 * never, or each for its own scheme when following the phone).
 */
export function applyThemeChoice(choice: ThemeChoice, document: Document): void {
	const root = document.documentElement;
	if (choice === 'system') {
		root.removeAttribute('data-theme');
	} else {
		root.dataset.theme = choice;
	}
	for (const meta of document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) {
		const scheme = meta.dataset.scheme;
		meta.media =
			choice === 'system'
				? `(prefers-color-scheme: ${scheme})`
				: scheme === choice
					? 'all'
					: 'not all';
	}
}

/** Remembers a choice on this phone and applies it. */
export function saveThemeChoice(
	choice: ThemeChoice,
	storage: Pick<Storage, 'setItem' | 'removeItem'>,
	document: Document
): void {
	try {
		if (choice === 'system') {
			storage.removeItem(themeKey);
		} else {
			storage.setItem(themeKey, choice);
		}
	} catch (error) {
		// Still applied for this visit; only the next start would follow the phone again.
		console.error(error);
	}
	applyThemeChoice(choice, document);
}
