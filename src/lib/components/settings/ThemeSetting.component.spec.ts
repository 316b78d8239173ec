import { mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { themeKey } from '$lib/state/theme';
import ThemeSetting from './ThemeSetting.svelte';

let mounted: Record<string, unknown> | undefined;
const metas: HTMLMetaElement[] = [];

function render() {
	mounted = mount(ThemeSetting, { target: document.body });
}

/** The two browser-bar colours app.html has, one per scheme. */
function addThemeColors() {
	for (const scheme of ['light', 'dark']) {
		const meta = document.createElement('meta');
		meta.name = 'theme-color';
		meta.dataset.scheme = scheme;
		meta.media = `(prefers-color-scheme: ${scheme})`;
		document.head.append(meta);
		metas.push(meta);
	}
}

beforeEach(() => {
	localStorage.removeItem(themeKey);
	document.documentElement.removeAttribute('data-theme');
	addThemeColors();
});

afterEach(async () => {
	if (mounted) {
		await unmount(mounted);
		mounted = undefined;
	}
	metas.splice(0).forEach((meta) => meta.remove());
	localStorage.removeItem(themeKey);
	document.documentElement.removeAttribute('data-theme');
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
		expect(document.documentElement.dataset.theme).toBe('dark');
		expect(localStorage.getItem(themeKey)).toBe('dark');
		expect(metas.map((meta) => meta.media)).toEqual(['not all', 'all']);
		expect(getComputedStyle(document.documentElement).colorScheme).toBe('dark');
	});

	it('shows the stored choice, and forgets it when told to follow the phone again', async () => {
		localStorage.setItem(themeKey, 'light');
		render();
		await expect.element(page.getByLabelText('Light')).toBeChecked();
		await page.getByLabelText('Follow the phone').click();
		expect(localStorage.getItem(themeKey)).toBeNull();
		expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
		expect(metas.map((meta) => meta.media)).toEqual([
			'(prefers-color-scheme: light)',
			'(prefers-color-scheme: dark)'
		]);
	});
});
