import { describe, expect, it } from 'vitest';
import { clinicThemeCss, installedName, shortName, themeColour, webManifest } from './clinic-brand';

describe('the clinic’s identity outside the pages', () => {
	it('names the installed app after the clinic, or the app without one', () => {
		expect(installedName({ name: 'Riverside Skin Clinic' })).toBe(
			'Riverside Skin Clinic Aftercare'
		);
		expect(installedName({ name: '  ' })).toBe('Aftercare Companion');
	});

	it('gives a home-screen label of at most 12 characters', () => {
		expect(shortName({ name: 'Riverside Skin Clinic' })).toBe('Aftercare');
		expect(shortName({ name: 'Kim' })).toBe('Aftercare');
		expect(shortName({ name: '' })).toBe('Aftercare');
	});

	it('colours the browser bar with the accent, or the app’s own colour', () => {
		expect(themeColour({ accent: '#6b2fa0' })).toBe('#6b2fa0');
		expect(themeColour({ accent: '' })).toBe('#0b5560');
	});

	it('writes the manifest with the app’s own icons', () => {
		const manifest = webManifest({ name: 'Riverside Skin Clinic', accent: '#6b2fa0' });
		expect(manifest).toMatchObject({
			name: 'Riverside Skin Clinic Aftercare',
			short_name: 'Aftercare',
			theme_color: '#6b2fa0',
			background_color: '#f2f6f7',
			start_url: '/',
			display: 'standalone'
		});
		expect(manifest.icons.map((icon) => icon.src)).toEqual([
			'/icons/icon-192.png',
			'/icons/icon-512.png',
			'/icons/maskable-512.png'
		]);
	});

	it('sets the light theme’s brand colours from the accent, nothing without one', () => {
		expect(clinicThemeCss({ accent: '#6b2fa0' })).toMatch(
			/^\/\*.*\*\/\nhtml:root \{ --brand: #6b2fa0; --brand-wash: #[0-9a-f]{6}; \}\n$/
		);
		expect(clinicThemeCss({ accent: '' })).not.toContain(':root');
	});
});
