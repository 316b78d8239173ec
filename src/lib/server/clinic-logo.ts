import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The largest logo the server accepts: it is shown on every screen and kept on every phone. */
export const maxLogoBytes = 100 * 1024;

/** The address the logo is served at (`src/routes/api/clinic/logo/+server.ts`). */
export const logoPath = '/api/clinic/logo';

/** The image types a logo may have. */
export type LogoType = 'image/png' | 'image/svg+xml';

/** The clinic's logo, read and checked once at start. */
export interface ClinicLogo {
	/** Where it was read from (absolute path). */
	file: string;
	type: LogoType;
	bytes: Uint8Array;
	/** A strong validator of the content: the ETag, and the version in the logo's address. */
	tag: string;
	/** The address the phones load it from: {@link logoPath} with its version. */
	url: string;
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What an image file is, by its content rather than its name: a PNG by its signature, an SVG by
 * its root element (after an optional XML declaration, comments and a DOCTYPE).
 * @param bytes the file's content
 * @returns the type, or a sentence that says why it is neither
 */
export function sniffLogo(bytes: Uint8Array): { type: LogoType } | { problem: string } {
	if (bytes.length >= 8 && pngSignature.every((byte, index) => bytes[index] === byte)) {
		return { type: 'image/png' };
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return { problem: 'is neither a PNG (no PNG signature) nor an SVG (not UTF-8 text)' };
	}
	const prolog =
		/^\uFEFF?\s*(<\?xml[^?]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE\s+svg[^>[]*>)\s*)*/i.exec(text);
	const rest = text.slice(prolog?.[0].length ?? 0);
	const root = /^<svg(?=[\s>/])[^>]*>/.exec(rest);
	if (!root) {
		return {
			problem: 'is neither a PNG (no PNG signature) nor an SVG (its root element is not <svg>)'
		};
	}
	if (!/\sxmlns\s*=\s*(["'])http:\/\/www\.w3\.org\/2000\/svg\1/.test(root[0])) {
		return {
			problem:
				'is an SVG whose <svg> element lacks xmlns="http://www.w3.org/2000/svg": browsers would not show it as an image'
		};
	}
	return { type: 'image/svg+xml' };
}

/**
 * Reads and checks the logo named in a protocol file.
 * @param protocolFile the protocol file's absolute path
 * @param logo `clinic.logo` as written in it: a path relative to the protocol file
 * @returns the logo, or a sentence that says what is wrong with it (naming the file)
 */
export function readLogo(
	protocolFile: string,
	logo: string
): { logo: ClinicLogo } | { problem: string } {
	const file = resolve(dirname(protocolFile), logo);
	let bytes: Uint8Array;
	try {
		const size = statSync(file).size;
		if (size > maxLogoBytes) {
			return {
				problem: `${file} is ${Math.ceil(size / 1024)} KB; a logo may be at most ${maxLogoBytes / 1024} KB (an SVG, or a PNG about 400 pixels wide, is much smaller)`
			};
		}
		bytes = new Uint8Array(readFileSync(file));
	} catch (error) {
		return { problem: `cannot read ${file}: ${(error as Error).message}` };
	}
	const sniffed = sniffLogo(bytes);
	if ('problem' in sniffed) {
		return { problem: `${file} ${sniffed.problem}` };
	}
	const tag = createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
	return {
		logo: { file, type: sniffed.type, bytes, tag, url: `${logoPath}?v=${tag}` }
	};
}
