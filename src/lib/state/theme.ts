// The patient's choice of screen colours. app.css holds the light theme, static/dark-theme.css
// the dark one; app.html links it, and has a browser-bar colour for each scheme, with a media
// query that follows the phone's setting (prefers-color-scheme). A choice of Light or Dark
// overrides those media: static/theme.js sets them from the stored choice before the first
// paint, so a reload never flashes the other theme; this module saves a new choice and applies
// it at once.
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
 * Applies a choice to the page: each of app.html's elements marked `data-scheme` (the dark
 * stylesheet, a browser-bar colour per scheme) applies on screen in its own scheme when following
 * the phone, else always or never, as static/theme.js sets them.
 */
export function applyThemeChoice(choice: ThemeChoice, document: Document): void {
	for (const element of document.querySelectorAll<HTMLElement & { media: string }>(
		'[data-scheme]'
	)) {
		const scheme = element.dataset.scheme;
		element.media =
			choice === 'system'
				? `screen and (prefers-color-scheme: ${scheme})`
				: scheme === choice
					? 'screen'
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
