/**
 * Colour contrast as WCAG 2.2 measures it (success criterion 1.4.3, "Contrast (Minimum)"), for the
 * clinic's accent colour: pure arithmetic on `#rrggbb` colours, checked by the server at start.
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
 */

/** A colour as the protocol writes it: `#` and six hex digits. */
export const hexColour = /^#[0-9a-fA-F]{6}$/;

/** WCAG AA for normal text: the accent is text (links, headings) and carries white text. */
export const minimumContrast = 4.5;

/** The light theme's backgrounds the accent is drawn on (src/app.css `--paper`, `--wash`). */
export const lightBackgrounds = { paper: '#ffffff', wash: '#f2f6f7' } as const;

/** How much of the accent tints `--brand-wash` (highlighted rows, info banners), over white. */
export const washShare = 0.12;

/**
 * The colour's three channels, 0–255.
 * @param hex `#rrggbb`
 */
export function channels(hex: string): [number, number, number] {
	const value = Number.parseInt(hex.slice(1), 16);
	return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * Relative luminance: 0 for black, 1 for white.
 * @param hex `#rrggbb`
 */
export function relativeLuminance(hex: string): number {
	const [r, g, b] = channels(hex).map((channel) => {
		const c = channel / 255;
		return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	}) as [number, number, number];
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The contrast ratio of two colours, from 1 (the same) to 21 (black on white); order does not
 * matter.
 * @param a `#rrggbb`
 * @param b `#rrggbb`
 */
export function contrastRatio(a: string, b: string): number {
	const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
		number,
		number
	];
	return (light + 0.05) / (dark + 0.05);
}

/**
 * A ratio as people write it, rounded down so that a failing ratio never reads as the minimum
 * (4.47 is "4.4:1", not "4.5:1").
 * @param ratio from {@link contrastRatio}
 */
export function formatRatio(ratio: number): string {
	return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`;
}

/**
 * `share` of `hex` laid over white, as `#rrggbb`.
 * @param hex `#rrggbb`
 * @param share from 0 (white) to 1 (the colour itself)
 */
export function tint(hex: string, share: number): string {
	return `#${channels(hex)
		.map((channel) =>
			Math.round(255 - (255 - channel) * share)
				.toString(16)
				.padStart(2, '0')
		)
		.join('')}`;
}

/**
 * The accent's tint for `--brand-wash` (highlighted rows, info banners, with links on them): an
 * eighth of the accent over white, or less where the accent would no longer read on it at 4.5:1.
 * @param accent `#rrggbb`
 */
export function washFor(accent: string): string {
	for (let share = washShare; share > 0; share -= 0.01) {
		const colour = tint(accent, share);
		if (contrastRatio(accent, colour) >= minimumContrast) {
			return colour;
		}
	}
	return lightBackgrounds.paper;
}

/**
 * Whether an accent colour is readable wherever the light theme uses it as `--brand`: on the page
 * background, on white cards and under white text (buttons). Its tint ({@link washFor}) is made
 * light enough for it, so it needs no check of its own.
 * @param accent `#rrggbb`
 * @returns `null` when it is, else the sentence that says where it fails and by how much
 */
export function accentContrastProblem(accent: string): string | null {
	const colour = accent.toLowerCase();
	const failing = [
		{ where: `against the page background (${lightBackgrounds.wash})`, on: lightBackgrounds.wash },
		{ where: `against white cards and with white text on it`, on: lightBackgrounds.paper }
	]
		.map((place) => ({ ...place, ratio: contrastRatio(colour, place.on) }))
		.filter((place) => place.ratio < minimumContrast)
		.map((place) => `${formatRatio(place.ratio)} ${place.where}`);
	if (failing.length === 0) {
		return null;
	}
	return `${colour} has ${failing.join(' and ')}; it needs ${minimumContrast}:1 (WCAG AA): choose a darker colour`;
}
