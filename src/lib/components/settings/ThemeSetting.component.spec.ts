import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { themeKey } from '$lib/state/theme';
import darkTheme from '../../../../static/dark-theme.css?raw';
import ThemeSetting from './ThemeSetting.svelte';

let mounted: Record<string, unknown> | undefined;
const schemes: (HTMLMetaElement | HTMLStyleElement)[] = [];

function render() {
	mounted = mount(ThemeSetting, { target: document.body });
}

/** What app.html has: a browser-bar colour per scheme, and the dark colours (inline here). */
function addSchemes() {
	for (const scheme of ['light', 'dark']) {
		const meta = document.createElement('meta');
		meta.name = 'theme-color';
		meta.dataset.scheme = scheme;
		meta.media = `screen and (prefers-color-scheme: ${scheme})`;
		schemes.push(meta);
	}
	const dark = document.createElement('style');
	dark.textContent = darkTheme;
	dark.dataset.scheme = 'dark';
	dark.media = 'screen and (prefers-color-scheme: dark)';
	schemes.push(dark);
	document.head.append(...schemes);
}

beforeEach(() => {
	localStorage.removeItem(themeKey);
	addSchemes();
});

afterEach(async () => {
	if (mounted) {
		await unmount(mounted);
		mounted = undefined;
	}
	schemes.splice(0).forEach((element) => element.remove());
	localStorage.removeItem(themeKey);
});

describe('ThemeSetting', () => {
	it('is a named group of three choices, following the phone at first', async () => {
		render();
		const group = page.getByRole('group', { name: 'Screen colours' });
		await expect.element(group).toHaveAccessibleDescription(/turns dark when your phone/);
		await expect.element(group.getByRole('radio')).toHaveLength(3);
		await expect.element(page.getByLabelText('Follow the phone')).toBeChecked();
	});

	it('applies and remembers Dark at once, browser bar included', async () => {
		render();
		await page.getByLabelText('Dark').click();
		expect(localStorage.getItem(themeKey)).toBe('dark');
		expect(schemes.map((element) => element.media)).toEqual(['not all', 'screen', 'screen']);
		expect(getComputedStyle(document.documentElement).colorScheme).toBe('dark');
	});

	it('shows the stored choice, and forgets it when told to follow the phone again', async () => {
		localStorage.setItem(themeKey, 'light');
		render();
		await expect.element(page.getByLabelText('Light')).toBeChecked();
		await page.getByLabelText('Follow the phone').click();
		expect(localStorage.getItem(themeKey)).toBeNull();
		expect(schemes.map((element) => element.media)).toEqual([
			'screen and (prefers-color-scheme: light)',
			'screen and (prefers-color-scheme: dark)',
			'screen and (prefers-color-scheme: dark)'
		]);
		expect(getComputedStyle(document.documentElement).colorScheme).toBe('light');
	});
});
