// `npm run icons`: renders every app icon from assets/icon.svg with Debian's Chromium, the browser
// the tests already use, so no image library is needed. Run it after changing the source and
// commit the results: the build only copies static/, it never needs Chromium.
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from './chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = readFileSync(join(root, 'assets', 'icon.svg'), 'utf8');

/** The corner radius of the rounded icons, as a share of the side (14/64, as the old favicon). */
const cornerRadius = 0.21875;

/**
 * The source clipped to a rounded square with transparent corners: for browser tabs and for
 * icons of purpose "any", which platforms show as they are.
 */
const rounded = [
	'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">',
	'<clipPath id="corners">',
	`<rect width="512" height="512" rx="${512 * cornerRadius}"/>`,
	'</clipPath>',
	'<g clip-path="url(#corners)">',
	source.trim(),
	'</g>',
	'</svg>',
	''
].join('\n');

/**
 * The drop alone, white on transparent and filling the square: Android draws a notification's
 * badge in the status bar from its alpha channel only.
 */
const drop = /<path [^>]*\/>/.exec(source)?.[0];
if (!drop) {
	throw new Error('assets/icon.svg has no <path> to make the notification badge from');
}
const badge = [
	'<svg xmlns="http://www.w3.org/2000/svg" viewBox="96 96 320 320">',
	drop,
	'</svg>',
	''
].join('\n');

/**
 * Every output: its path under static/, the SVG drawn, its side in pixels, and whether the corners
 * stay transparent. Full-bleed icons are opaque: iOS fills transparency in touch icons with black.
 */
const outputs = [
	{ path: 'icons/icon-192.png', svg: rounded, size: 192, transparent: true },
	{ path: 'icons/icon-512.png', svg: rounded, size: 512, transparent: true },
	{ path: 'icons/maskable-512.png', svg: source, size: 512, transparent: false },
	{ path: 'apple-touch-icon.png', svg: source, size: 180, transparent: false },
	{ path: 'icons/badge-72.png', svg: badge, size: 72, transparent: true }
];

const browser = await chromium.launch({
	...chromiumLaunchOptions
});
try {
	for (const { path, svg, size, transparent } of outputs) {
		const page = await browser.newPage({
			viewport: { width: size, height: size },
			deviceScaleFactor: 1
		});
		const image = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
		await page.setContent(
			`<style>html, body { margin: 0; background: transparent; } img { display: block; }</style>` +
				`<img src="${image}" width="${size}" height="${size}" alt="">`
		);
		// Drawn as an image, as platforms draw icons, and only once it is decoded.
		await page.locator('img').evaluate((img) => /** @type {HTMLImageElement} */ (img).decode());
		const target = join(root, 'static', path);
		mkdirSync(dirname(target), { recursive: true });
		await page.screenshot({ path: target, omitBackground: transparent, type: 'png' });
		await page.close();
		console.info(`static/${path} (${size}×${size})`);
	}
} finally {
	await browser.close();
}

writeFileSync(join(root, 'static', 'favicon.svg'), rounded);
console.info('static/favicon.svg');
