import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitWithin, PhotoError, processPhoto } from './photo-processing';

describe('fitWithin', () => {
	it('scales a landscape photo by its width', () => {
		expect(fitWithin(4000, 3000, 1600)).toEqual({ width: 1600, height: 1200 });
	});

	it('scales a portrait photo by its height', () => {
		expect(fitWithin(3024, 4032, 1600)).toEqual({ width: 1200, height: 1600 });
	});

	it('scales a square photo to the limit on both sides', () => {
		expect(fitWithin(2000, 2000, 320)).toEqual({ width: 320, height: 320 });
	});

	it('never scales up', () => {
		expect(fitWithin(800, 600, 1600)).toEqual({ width: 800, height: 600 });
		expect(fitWithin(1600, 900, 1600)).toEqual({ width: 1600, height: 900 });
	});

	it('rounds to whole pixels', () => {
		// 1000 at 1600/3000 is 533.33…, 999 is 532.8
		expect(fitWithin(3000, 1000, 1600)).toEqual({ width: 1600, height: 533 });
		expect(fitWithin(3000, 999, 1600)).toEqual({ width: 1600, height: 533 });
		expect(fitWithin(4032, 3024, 320)).toEqual({ width: 320, height: 240 });
		expect(fitWithin(1001, 1999, 1000)).toEqual({ width: 501, height: 1000 });
	});

	it('rounds fractional input sizes too', () => {
		expect(fitWithin(100.4, 50.6, 1600)).toEqual({ width: 100, height: 51 });
	});

	it('never gives a side of zero pixels', () => {
		expect(fitWithin(10000, 1, 320)).toEqual({ width: 320, height: 1 });
	});

	it('rejects sizes that are not positive finite numbers', () => {
		expect(() => fitWithin(0, 100, 1600)).toThrow(RangeError);
		expect(() => fitWithin(100, -1, 1600)).toThrow(RangeError);
		expect(() => fitWithin(100, 100, 0)).toThrow(RangeError);
		expect(() => fitWithin(Number.NaN, 100, 1600)).toThrow(RangeError);
		expect(() => fitWithin(100, Number.POSITIVE_INFINITY, 1600)).toThrow(RangeError);
	});

	it('stays within the limit and the original, and keeps the proportions', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 20000 }),
				fc.integer({ min: 1, max: 20000 }),
				fc.integer({ min: 1, max: 4000 }),
				(width, height, max) => {
					const fitted = fitWithin(width, height, max);
					expect(Number.isInteger(fitted.width) && Number.isInteger(fitted.height)).toBe(true);
					expect(Math.max(fitted.width, fitted.height)).toBeLessThanOrEqual(max);
					expect(fitted.width).toBeLessThanOrEqual(width);
					expect(fitted.height).toBeLessThanOrEqual(height);
					expect(fitted.width).toBeGreaterThanOrEqual(1);
					expect(fitted.height).toBeGreaterThanOrEqual(1);
					// The longest side fills the limit whenever the photo was larger.
					expect(Math.max(fitted.width, fitted.height)).toBe(
						Math.min(max, Math.max(width, height))
					);
					// Rounding moves each side by at most half a pixel from the exact scale.
					const scale = Math.min(1, max / Math.max(width, height));
					expect(Math.abs(fitted.width - Math.max(1, width * scale))).toBeLessThanOrEqual(0.5);
					expect(Math.abs(fitted.height - Math.max(1, height * scale))).toBeLessThanOrEqual(0.5);
				}
			)
		);
	});
});

/** Canvases made by `processPhoto`, with what was drawn and how it was encoded. */
interface FakeCanvas {
	width: number;
	height: number;
	drawn: { width: number; height: number }[];
	encoded: { type?: string; quality?: number }[];
}

function stubCanvas(): FakeCanvas[] {
	const canvases: FakeCanvas[] = [];
	class FakeOffscreenCanvas implements FakeCanvas {
		drawn: FakeCanvas['drawn'] = [];
		encoded: FakeCanvas['encoded'] = [];
		constructor(
			public width: number,
			public height: number
		) {
			canvases.push(this);
		}
		getContext() {
			return {
				fillRect: () => {},
				drawImage: (_source: unknown, _x: number, _y: number, width: number, height: number) => {
					this.drawn.push({ width, height });
				}
			};
		}
		convertToBlob(options: { type?: string; quality?: number }) {
			this.encoded.push(options);
			return Promise.resolve(new Blob([`${this.width}x${this.height}`], { type: 'image/jpeg' }));
		}
	}
	vi.stubGlobal('OffscreenCanvas', FakeOffscreenCanvas);
	return canvases;
}

describe('processPhoto (with a stand-in canvas; tests/e2e runs it in Chromium)', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
	});

	it('makes a 1600 px image and a 320 px thumbnail, decoded upright', async () => {
		const close = vi.fn();
		const decode = vi.fn(() => Promise.resolve({ width: 4032, height: 3024, close }));
		vi.stubGlobal('createImageBitmap', decode);
		const canvases = stubCanvas();
		const file = new Blob(['jpeg'], { type: 'image/jpeg' });

		const photo = await processPhoto(file, { keepOriginal: false });

		expect(decode).toHaveBeenCalledWith(file, { imageOrientation: 'from-image' });
		expect(photo).toMatchObject({ width: 1600, height: 1200, original: null });
		expect(await photo.image.text()).toBe('1600x1200');
		expect(await photo.thumbnail.text()).toBe('320x240');
		expect(canvases.map((canvas) => canvas.drawn)).toEqual([
			[{ width: 1600, height: 1200 }],
			[{ width: 320, height: 240 }]
		]);
		expect(canvases.map((canvas) => canvas.encoded)).toEqual([
			[{ type: 'image/jpeg', quality: 0.85 }],
			[{ type: 'image/jpeg', quality: 0.8 }]
		]);
		expect(close).toHaveBeenCalledOnce();
	});

	it('returns the file itself as the original only when asked', async () => {
		vi.stubGlobal('createImageBitmap', () =>
			Promise.resolve({ width: 640, height: 480, close: () => {} })
		);
		stubCanvas();
		const file = new Blob(['jpeg'], { type: 'image/jpeg' });

		const photo = await processPhoto(file, { keepOriginal: true });

		expect(photo.original).toBe(file);
		expect(photo).toMatchObject({ width: 640, height: 480 });
	});

	it('throws a PhotoError for the patient when the file cannot be decoded', async () => {
		const cause = new DOMException('The source image could not be decoded.', 'InvalidStateError');
		vi.stubGlobal('createImageBitmap', () => Promise.reject(cause));
		stubCanvas();

		const error: unknown = await processPhoto(new Blob(['not a photo']), {
			keepOriginal: false
		}).catch((error: unknown) => error);

		expect(error).toBeInstanceOf(PhotoError);
		expect(error).toMatchObject({
			name: 'PhotoError',
			reason: 'unreadable',
			message: 'This file is not a photo this phone can read',
			cause
		});
	});
});
