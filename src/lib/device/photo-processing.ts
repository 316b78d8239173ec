// Turns a photo the patient picked or took into what the diary stores: a downscaled image and a
// thumbnail, both re-encoded as JPEG. Browser-only (createImageBitmap, canvas).
//
// This module imports nothing on purpose: the browser test (tests/e2e/photo-processing.spec.ts)
// strips its types and loads it into Chromium as it is, to run it against real JPEG decoding.

/** Longest side of the stored image, in pixels. */
export const IMAGE_MAX = 1600;
/** Longest side of the thumbnail, in pixels. */
export const THUMBNAIL_MAX = 320;
const IMAGE_QUALITY = 0.85;
const THUMBNAIL_QUALITY = 0.8;

/** What `processPhoto` makes of one file. */
export interface ProcessedPhoto {
	/** At most `IMAGE_MAX` pixels on its longest side, JPEG, without the file's metadata. */
	image: Blob;
	/** At most `THUMBNAIL_MAX` pixels on its longest side, JPEG, without metadata. */
	thumbnail: Blob;
	/** The file as given (metadata included), only when the patient asked to keep it. */
	original: Blob | null;
	/** Size of `image`, upright. */
	width: number;
	height: number;
}

/** Why a photo could not be processed: `unreadable` file, or the phone failed to `encode` it. */
export type PhotoErrorReason = 'unreadable' | 'encode';

/**
 * A photo that could not be processed. `message` is English, for the console; the patient reads
 * words chosen by `reason` in their language (components/diary/photo-words.ts), as this module
 * imports nothing (its e2e test loads it into a page as it is).
 */
export class PhotoError extends Error {
	override readonly name = 'PhotoError';

	/**
	 * @param reason what went wrong, for the code
	 * @param message what went wrong, in English
	 * @param options the underlying error as `cause`, if any
	 */
	constructor(
		readonly reason: PhotoErrorReason,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}
}

/**
 * The size of a `width` × `height` picture scaled down so that neither side exceeds `max`,
 * keeping its proportions. Never scales up; rounds to whole pixels, and never to zero.
 * @param width the picture's width in pixels
 * @param height the picture's height in pixels
 * @param max the longest side allowed, in pixels
 * @throws RangeError when a size is not a positive finite number
 */
export function fitWithin(
	width: number,
	height: number,
	max: number
): { width: number; height: number } {
	for (const [name, value] of [
		['width', width],
		['height', height],
		['max', max]
	] as const) {
		if (!Number.isFinite(value) || value <= 0) {
			throw new RangeError(`${name} must be a positive number, got ${value}`);
		}
	}
	const scale = Math.min(1, max / Math.max(width, height));
	return {
		width: Math.max(1, Math.round(width * scale)),
		height: Math.max(1, Math.round(height * scale))
	};
}

/**
 * Decodes a photo upright and stores it small: the image and a thumbnail, both drawn onto a
 * canvas and encoded again as JPEG.
 *
 * Privacy: drawing onto a canvas keeps only the pixels, so the new JPEGs carry none of the
 * file's EXIF metadata, above all the GPS location phones write into photos. Only `original`
 * keeps it, and only when the patient asked for that (`keepOriginal`).
 * @param file the picked or captured file
 * @param options `keepOriginal`: also return the file itself as `original`
 * @throws PhotoError `unreadable` when the file is not an image this browser can decode,
 *   `encode` when the browser fails to write the JPEG
 */
export async function processPhoto(
	file: Blob,
	options: { keepOriginal: boolean }
): Promise<ProcessedPhoto> {
	const bitmap = await decode(file);
	try {
		const size = fitWithin(bitmap.width, bitmap.height, IMAGE_MAX);
		const imageCanvas = drawScaled(bitmap, size.width, size.height);
		// From the already downscaled image rather than the full photo: a smaller step down
		// aliases less, and reads far fewer pixels.
		const thumbSize = fitWithin(size.width, size.height, THUMBNAIL_MAX);
		const thumbCanvas = drawScaled(imageCanvas, thumbSize.width, thumbSize.height);
		const [image, thumbnail] = await Promise.all([
			toJpeg(imageCanvas, IMAGE_QUALITY),
			toJpeg(thumbCanvas, THUMBNAIL_QUALITY)
		]);
		return {
			image,
			thumbnail,
			original: options.keepOriginal ? file : null,
			width: size.width,
			height: size.height
		};
	} finally {
		bitmap.close();
	}
}

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

async function decode(file: Blob): Promise<ImageBitmap> {
	try {
		// 'from-image' applies the EXIF orientation, so a phone photo taken upright stays upright
		// once its metadata is gone.
		return await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch (cause) {
		throw new PhotoError('unreadable', 'This file is not a photo this phone can read', {
			cause
		});
	}
}

function createCanvas(width: number, height: number): AnyCanvas {
	if (typeof OffscreenCanvas === 'function') {
		return new OffscreenCanvas(width, height);
	}
	// Safari before 16.4 has no OffscreenCanvas.
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	return canvas;
}

function drawScaled(source: ImageBitmap | AnyCanvas, width: number, height: number): AnyCanvas {
	const canvas = createCanvas(width, height);
	const context = canvas.getContext('2d') as
		OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
	if (!context) {
		throw new PhotoError('encode', 'This photo could not be saved. Please try again.');
	}
	// JPEG has no transparency: a transparent PNG would otherwise turn black.
	context.fillStyle = '#ffffff';
	context.fillRect(0, 0, width, height);
	context.imageSmoothingEnabled = true;
	context.imageSmoothingQuality = 'high';
	context.drawImage(source, 0, 0, width, height);
	return canvas;
}

async function toJpeg(canvas: AnyCanvas, quality: number): Promise<Blob> {
	try {
		if ('convertToBlob' in canvas) {
			return await canvas.convertToBlob({ type: 'image/jpeg', quality });
		}
		return await new Promise<Blob>((resolve, reject) => {
			canvas.toBlob(
				(blob) => (blob ? resolve(blob) : reject(new Error('toBlob gave no blob'))),
				'image/jpeg',
				quality
			);
		});
	} catch (cause) {
		throw new PhotoError('encode', 'This photo could not be saved. Please try again.', { cause });
	}
}
