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

	it('has the same dark colours for the phone’s setting and for the patient’s choice', () => {
		const css = file('src/app.css');
		const block = (selector: string) => {
			const start = css.indexOf(`${selector} {`);
			expect(start, selector).toBeGreaterThan(-1);
			return css.slice(start + selector.length, css.indexOf('}', start)).trim();
		};
		const phone = block(":root:not([data-theme='light'])");
		expect(phone).toContain('--ink:');
		expect(phone).toContain('color-scheme: dark;');
		expect(block(":root[data-theme='dark']")).toBe(phone);
	});
});
