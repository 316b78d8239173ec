import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxLogoBytes, readLogo, sniffLogo } from './clinic-logo';

const svg =
	'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('sniffLogo', () => {
	it('knows a PNG by its signature and an SVG by its root element', () => {
		expect(sniffLogo(png)).toEqual({ type: 'image/png' });
		expect(sniffLogo(bytes(svg))).toEqual({ type: 'image/svg+xml' });
		expect(
			sniffLogo(
				bytes(
					`\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- Riverside -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${svg}`
				)
			)
		).toEqual({ type: 'image/svg+xml' });
	});

	it('refuses a file that only calls itself an image', () => {
		expect(sniffLogo(bytes('<html><svg xmlns="http://www.w3.org/2000/svg"></svg></html>'))).toEqual(
			{
				problem: 'is neither a PNG (no PNG signature) nor an SVG (its root element is not <svg>)'
			}
		);
		expect(sniffLogo(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0xc3, 0x28]))).toEqual({
			problem: 'is neither a PNG (no PNG signature) nor an SVG (not UTF-8 text)'
		});
		expect(sniffLogo(bytes('<svgfoo xmlns="http://www.w3.org/2000/svg"/>'))).toHaveProperty(
			'problem'
		);
		// An internal DTD subset (entities) is not a logo's business.
		expect(sniffLogo(bytes(`<!DOCTYPE svg [<!ENTITY a "b">]>${svg}`))).toHaveProperty('problem');
	});

	it('refuses an SVG without its namespace, which browsers would not draw', () => {
		expect(sniffLogo(bytes('<svg viewBox="0 0 1 1"></svg>'))).toEqual({
			problem:
				'is an SVG whose <svg> element lacks xmlns="http://www.w3.org/2000/svg": browsers would not show it as an image'
		});
	});
});

describe('readLogo', () => {
	const dir = mkdtempSync(join(tmpdir(), 'aftercare-logo-'));
	const protocolFile = join(dir, 'clinic.json');
	writeFileSync(join(dir, 'logo.svg'), svg);
	writeFileSync(join(dir, 'big.png'), new Uint8Array(maxLogoBytes + 1));
	writeFileSync(join(dir, 'fake.png'), '<html>not an image</html>');

	it('reads a logo beside the protocol file, with its type, tag and address', () => {
		const result = readLogo(protocolFile, 'logo.svg');
		if (!('logo' in result)) {
			throw new Error(result.problem);
		}
		expect(result.logo.type).toBe('image/svg+xml');
		expect(result.logo.file).toBe(join(dir, 'logo.svg'));
		expect(result.logo.url).toBe(`/api/clinic/logo?v=${result.logo.tag}`);
		expect(result.logo.tag).toMatch(/^[\w-]{16}$/);
	});

	it('names the file and the problem: too large, not an image, missing', () => {
		expect(readLogo(protocolFile, 'big.png')).toEqual({
			problem: `${join(dir, 'big.png')} is 101 KB; a logo may be at most 100 KB (an SVG, or a PNG about 400 pixels wide, is much smaller)`
		});
		expect(readLogo(protocolFile, 'fake.png')).toEqual({
			problem: `${join(dir, 'fake.png')} is neither a PNG (no PNG signature) nor an SVG (its root element is not <svg>)`
		});
		expect(readLogo(protocolFile, 'none.svg')).toEqual({
			problem: expect.stringMatching(/^cannot read .*none\.svg: ENOENT/)
		});
	});
});
