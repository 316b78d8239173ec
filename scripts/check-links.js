// `node scripts/check-links.js`: every relative link in README.md and docs/ must name a file or
// folder that exists, and every `#anchor` a heading of its page (as GitHub makes heading ids).
// External links (http, mailto) are not followed. Exits 1 and lists the broken links.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {string} dir @returns {string[]} */
function markdownFiles(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? markdownFiles(path) : entry.name.endsWith('.md') ? [path] : [];
	});
}

/**
 * GitHub's heading id: lower case, punctuation dropped, spaces to hyphens.
 * @param {string} heading
 */
function slug(heading) {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[`*_]/g, '')
		.replace(/[^\p{L}\p{N} -]/gu, '')
		.replace(/ /g, '-');
}

/** @param {string} text @returns {Set<string>} */
function anchorsOf(text) {
	const anchors = new Set();
	/** @type {Map<string, number>} */
	const seen = new Map();
	for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
		const base = slug(/** @type {string} */ (heading));
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

/** Markdown without its fenced code blocks and inline code, where `[x](y)` is no link. */
function prose(/** @type {string} */ text) {
	return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

const broken = [];
let checked = 0;
for (const file of [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))]) {
	const text = readFileSync(file, 'utf8');
	for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
		const link = /** @type {string} */ (target);
		if (/^[a-z]+:/i.test(link)) {
			continue;
		}
		checked += 1;
		const [path, anchor] = link.split('#');
		const destination = path ? resolve(dirname(file), path) : file;
		const where = `${relative(root, file)}: ${link}`;
		if (!existsSync(destination)) {
			broken.push(`${where} (no such file)`);
		} else if (anchor && statSync(destination).isFile()) {
			if (!anchorsOf(readFileSync(destination, 'utf8')).has(anchor)) {
				broken.push(`${where} (no heading #${anchor})`);
			}
		}
	}
}
if (broken.length > 0) {
	console.log(`${broken.length} broken link(s) of ${checked}:\n  ${broken.join('\n  ')}`);
	process.exitCode = 1;
} else {
	console.log(`All ${checked} relative links in README.md and docs/ resolve.`);
}
