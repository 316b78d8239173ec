import { describe, expect, it } from 'vitest';
import {
	accentContrastProblem,
	contrastRatio,
	formatRatio,
	relativeLuminance,
	tint,
	washFor
} from './contrast';

describe('contrast (WCAG 2.2)', () => {
	it('measures luminance from black to white', () => {
		expect(relativeLuminance('#000000')).toBe(0);
		expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
		// WCAG's example: mid grey #777777 is about 0.184.
		expect(relativeLuminance('#777777')).toBeCloseTo(0.184, 3);
	});

	it('gives 21:1 for black on white, 1:1 for a colour on itself, in either order', () => {
		expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
		expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
		expect(contrastRatio('#0b5560', '#0b5560')).toBe(1);
		// The grey every contrast checker quotes as just passing on white.
		expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
	});

	it('rounds a ratio down, so a failing one never reads as the minimum', () => {
		expect(formatRatio(4.47)).toBe('4.4:1');
		expect(formatRatio(4.5)).toBe('4.5:1');
		expect(formatRatio(1.548)).toBe('1.5:1');
		expect(formatRatio(21)).toBe('21.0:1');
	});

	it('tints a colour over white', () => {
		expect(tint('#000000', 0)).toBe('#ffffff');
		expect(tint('#0b5560', 1)).toBe('#0b5560');
		expect(tint('#000000', 0.1)).toBe('#e6e6e6');
	});

	it('accepts the app’s own brand colour and dark clinic colours', () => {
		for (const accent of ['#0b5560', '#6b2fa0', '#005fcc', '#B3261E']) {
			expect(accentContrastProblem(accent)).toBeNull();
		}
	});

	it('tints the accent no further than it still reads on the tint', () => {
		expect(washFor('#0b5560')).toBe('#e2ebec');
		for (const accent of ['#0b5560', '#6b2fa0', '#707070', '#005fcc']) {
			expect(contrastRatio(accent, washFor(accent))).toBeGreaterThanOrEqual(4.5);
		}
		expect(washFor('#707070')).not.toBe('#ffffff');
	});

	it('refuses a light accent, with the ratio in each place it fails', () => {
		expect(accentContrastProblem('#7FD1FF')).toBe(
			'#7fd1ff has 1.5:1 against the page background (#f2f6f7) and 1.6:1 against white cards and with white text on it; it needs 4.5:1 (WCAG AA): choose a darker colour'
		);
	});

	it('refuses a grey that passes on white but not on the page background', () => {
		expect(accentContrastProblem('#767676')).toBe(
			'#767676 has 4.1:1 against the page background (#f2f6f7); it needs 4.5:1 (WCAG AA): choose a darker colour'
		);
		expect(accentContrastProblem('#707070')).toBeNull();
	});
});
