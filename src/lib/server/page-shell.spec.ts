import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Clinic } from '$lib/domain/protocol';
import { fillClinicPlaceholders } from './page-shell';

const appHtml = readFileSync('src/app.html', 'utf8');
const clinic: Clinic = {
	name: 'Riverside Skin Clinic',
	phone: '',
	website: '',
	email: '',
	logo: '',
	accent: '#6b2fa0'
};

describe('fillClinicPlaceholders', () => {
	it('leaves no placeholder of app.html unfilled', () => {
		expect(fillClinicPlaceholders(appHtml, clinic)).not.toMatch(/%clinic\./);
		expect(fillClinicPlaceholders(appHtml, { ...clinic, accent: '', name: '' })).not.toMatch(
			/%clinic\./
		);
	});

	it('colours the light bar with the accent and links its stylesheet for the light theme', () => {
		const html = fillClinicPlaceholders(appHtml, clinic);
		expect(html).toMatch(
			/<meta\s+name="theme-color"\s+content="#6b2fa0"\s+media="screen and \(prefers-color-scheme: light\)"/
		);
		expect(html).toContain(
			'<link rel="stylesheet" href="/clinic.css" media="screen and (prefers-color-scheme: light)" data-scheme="light" />'
		);
		expect(html).toContain('<meta name="apple-mobile-web-app-title" content="Aftercare" />');
	});

	it('keeps the app’s own colour without an accent, and escapes the name', () => {
		const html = fillClinicPlaceholders(appHtml, { ...clinic, accent: '', name: '"<A&B>' });
		expect(html).toMatch(/name="theme-color"\s+content="#0b5560"/);
		expect(html).not.toContain('/clinic.css');
		expect(fillClinicPlaceholders('%clinic.shortName%', { ...clinic, name: '"<' })).toBe(
			'&quot;&lt; Aftercare'
		);
	});

	it('writes a name with $ in it as it is (no replacement patterns)', () => {
		const fill = (name: string) =>
			fillClinicPlaceholders('a %clinic.shortName% b', { ...clinic, name });
		expect(fill("$'")).toBe('a $&#39; Aftercare b');
		expect(fill('$&')).toBe('a $&amp; Aftercare b');
	});
});
