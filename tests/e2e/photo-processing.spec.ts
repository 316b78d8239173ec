import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import ts from 'typescript';
import type * as Photos from '../../src/lib/device/photo-processing';

// The app bundles its modules, so the page cannot import photo-processing.ts. It imports nothing
// itself, so its types stripped make a module the page can load, and the test runs the very code
// the app ships against Chromium's own JPEG decoder and encoder. The page's Content-Security-
// Policy allows scripts from its own origin only, so the module is served there (MODULE_PATH).
const moduleCode = ts.transpileModule(readFileSync('src/lib/device/photo-processing.ts', 'utf8'), {
	compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext }
}).outputText;

/** Where the test serves the module, on the app's origin. */
const MODULE_PATH = '/e2e/photo-processing.js';

const GPS_WORDS = 'GPSLatitude';

/**
 * An APP1 segment as a phone writes it: EXIF with an orientation, a GPS position in its own
 * directory (52° 31′ 12″ N), and the words "GPSLatitude" as readable text to search for.
 * @param orientation EXIF orientation, 6 for "rotate 90° clockwise to show"
 */
function exifSegment(orientation: number): number[] {
	const u16 = (value: number) => [(value >> 8) & 0xff, value & 0xff];
	const u32 = (value: number) => [...u16(value >>> 16), ...u16(value & 0xffff)];
	const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));
	const entry = (tag: number, type: number, count: number, value: number[]) => [
		...u16(tag),
		...u16(type),
		...u32(count),
		...value,
		...Array<number>(4 - value.length).fill(0)
	];
	const description = ascii(`${GPS_WORDS} 52.52 N\0`);
	// Offsets from the start of the TIFF header: IFD0 at 8 (3 entries, ends at 50), the GPS
	// directory at 50 (2 entries, ends at 80), the latitude at 80 (24 bytes), the text at 104.
	const tiff = [
		...ascii('MM'),
		...u16(42),
		...u32(8),
		...u16(3),
		...entry(0x010e, 2, description.length, u32(104)), // ImageDescription
		...entry(0x0112, 3, 1, u16(orientation)), // Orientation
		...entry(0x8825, 4, 1, u32(50)), // GPS directory
		...u32(0),
		...u16(2),
		...entry(0x0001, 2, 2, ascii('N\0')), // GPSLatitudeRef
		...entry(0x0002, 5, 3, u32(80)), // GPSLatitude
		...u32(0),
		...[52, 1, 31, 1, 12, 1].flatMap(u32),
		...description
	];
	const payload = [...ascii('Exif\0\0'), ...tiff];
	return [0xff, 0xe1, ...u16(payload.length + 2), ...payload];
}

/**
 * In the page: draws a 2400 × 1600 photo (left half red, right half blue), encodes it as JPEG,
 * splices `exif` in right after the SOI marker, runs `processPhoto` on it and describes the result.
 */
function processInPage(page: Page, exif: number[], keepOriginal: boolean) {
	return page.evaluate(
		async ({ url, exif, keepOriginal, gpsWords }) => {
			const photos = (await import(/* @vite-ignore */ url)) as typeof Photos;

			const canvas = document.createElement('canvas');
			canvas.width = 2400;
			canvas.height = 1600;
			const context = canvas.getContext('2d')!;
			context.fillStyle = 'rgb(220, 0, 0)';
			context.fillRect(0, 0, 1200, 1600);
			context.fillStyle = 'rgb(0, 0, 220)';
			context.fillRect(1200, 0, 1200, 1600);
			const plain = await new Promise<Blob | null>((resolve) =>
				canvas.toBlob(resolve, 'image/jpeg', 0.9)
			);
			const plainBytes = new Uint8Array(await plain!.arrayBuffer());
			const file = new Blob(
				[plainBytes.subarray(0, 2), new Uint8Array(exif), plainBytes.subarray(2)],
				{ type: 'image/jpeg' }
			);

			const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
			/** The JPEG's markers up to the image data, as hex: "e0" is APP0, "e1" APP1… */
			const markers = (bytes: Uint8Array) => {
				const found: string[] = [];
				let at = 2;
				while (at + 4 <= bytes.length && bytes[at] === 0xff && bytes[at + 1] !== 0xda) {
					found.push(bytes[at + 1]!.toString(16));
					at += 2 + ((bytes[at + 2]! << 8) | bytes[at + 3]!);
				}
				return found;
			};
			const describe = async (blob: Blob) => {
				const bytes = new Uint8Array(await blob.arrayBuffer());
				const bitmap = await createImageBitmap(blob);
				const pixels = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
				pixels.drawImage(bitmap, 0, 0);
				const colour = (x: number, y: number) => {
					const [red, , blue] = pixels.getImageData(x, y, 1, 1).data;
					return red! > 150 && blue! < 80 ? 'red' : blue! > 150 && red! < 80 ? 'blue' : 'other';
				};
				return {
					type: blob.type,
					width: bitmap.width,
					height: bitmap.height,
					topRight: colour(bitmap.width - 4, 3),
					bottomLeft: colour(3, bitmap.height - 4),
					markers: markers(bytes),
					hasExif: text(bytes).includes('Exif'),
					hasGpsWords: text(bytes).includes(gpsWords)
				};
			};

			const input = await describe(file);
			const result = await photos.processPhoto(file, { keepOriginal });
			return {
				input,
				width: result.width,
				height: result.height,
				image: await describe(result.image),
				thumbnail: await describe(result.thumbnail),
				originalIsTheFile: result.original === file
			};
		},
		{ url: MODULE_PATH, exif, keepOriginal, gpsWords: GPS_WORDS }
	);
}

test.describe('processPhoto in Chromium', () => {
	test.beforeEach(async ({ page }) => {
		await page.route(MODULE_PATH, (route) =>
			route.fulfill({ contentType: 'text/javascript', body: moduleCode })
		);
		await page.goto('/');
	});

	test('stores a phone photo upright, downscaled, and without its EXIF location', async ({
		page
	}) => {
		const result = await processInPage(page, exifSegment(6), false);

		// The input is what the test means it to be: EXIF with GPS, turned by its orientation.
		expect(result.input).toMatchObject({ hasExif: true, hasGpsWords: true, width: 1600 });
		expect(result.input.markers).toContain('e1');

		// Orientation 6 turns 2400 × 1600 upright to 1600 × 2400: the red left half goes on top.
		expect(result).toMatchObject({ width: 1067, height: 1600, originalIsTheFile: false });
		expect(result.image).toMatchObject({
			type: 'image/jpeg',
			width: 1067,
			height: 1600,
			topRight: 'red',
			bottomLeft: 'blue',
			hasExif: false,
			hasGpsWords: false
		});
		expect(result.thumbnail).toMatchObject({
			type: 'image/jpeg',
			width: 213,
			height: 320,
			topRight: 'red',
			bottomLeft: 'blue',
			hasExif: false,
			hasGpsWords: false
		});
		expect(result.image.markers).not.toContain('e1');
		expect(result.thumbnail.markers).not.toContain('e1');
	});

	test('keeps the original file, metadata and all, only when asked', async ({ page }) => {
		const result = await processInPage(page, exifSegment(1), true);

		expect(result.originalIsTheFile).toBe(true);
		expect(result.input).toMatchObject({ hasGpsWords: true });
		expect(result).toMatchObject({ width: 1600, height: 1067 });
		expect(result.image).toMatchObject({
			width: 1600,
			height: 1067,
			topRight: 'blue',
			bottomLeft: 'red',
			hasExif: false,
			hasGpsWords: false
		});
	});

	test('says, in words for the patient, that a file that is not a photo cannot be read', async ({
		page
	}) => {
		const error = await page.evaluate(async (url) => {
			const photos = (await import(/* @vite-ignore */ url)) as typeof Photos;
			const file = new Blob(['%PDF-1.7 not a photo'], { type: 'application/pdf' });
			try {
				await photos.processPhoto(file, { keepOriginal: false });
				return null;
			} catch (error) {
				return {
					isPhotoError: error instanceof photos.PhotoError,
					name: (error as Error).name,
					reason: (error as InstanceType<typeof photos.PhotoError>).reason,
					message: (error as Error).message
				};
			}
		}, MODULE_PATH);

		expect(error).toEqual({
			isPhotoError: true,
			name: 'PhotoError',
			reason: 'unreadable',
			message: 'This file is not a photo this phone can read'
		});
	});
});
