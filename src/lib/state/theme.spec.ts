import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readThemeChoice, themeKey } from './theme';

const file = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

/** A stand-in for localStorage holding `value` under the theme's key. */
function storageWith(value: string | null): Pick<Storage, 'getItem'> {
	return { getItem: (key) => (key === themeKey ? value : null) };
}

describe('readThemeChoice', () => {
	it('follows the phone until the patient chooses', () => {
		expect(readThemeChoice(storageWith(null))).toBe('system');
	});

	it('reads a stored Light or Dark', () => {
		expect(readThemeChoice(storageWith('light'))).toBe('light');
		expect(readThemeChoice(storageWith('dark'))).toBe('dark');
	});

	it('follows the phone for a value it does not know, or storage it cannot read', () => {
		expect(readThemeChoice(storageWith('sepia'))).toBe('system');
		const blocked = {
			getItem: () => {
				throw new DOMException('denied', 'SecurityError');
			}
		};
		expect(readThemeChoice(blocked)).toBe('system');
	});
});

describe('the theme before the first paint', () => {
	it('is read by static/theme.js under the same key', () => {
		expect(file('static/theme.js')).toContain(`localStorage['${themeKey}']`);
	});

	it('is loaded by the page shell', () => {
		expect(file('src/app.html')).toContain('<script src="%sveltekit.assets%/theme.js"></script>');
	});

	it('links the dark colours for the phone’s dark setting, where theme.js finds them', () => {
		expect(file('src/app.html')).toMatch(
			/<link\s+rel="stylesheet"\s+href="%sveltekit\.assets%\/dark-theme\.css"\s+media="screen and \(prefers-color-scheme: dark\)"\s+data-scheme="dark"/
		);
		expect(file('static/theme.js')).toContain("querySelectorAll('[data-scheme]')");
		expect(file('static/dark-theme.css')).toContain('color-scheme: dark;');
	});
});
