// `npm run bench:catalogue`: what the message catalogue weighs. Bundles every compiled message
// (src/lib/paraglide/messages, both languages; `npm run i18n` first) into one module and prints its
// size raw and gzip -9, with the message count and the characters of each language. A screen ships only the messages it calls: the first visit's share is in
// `npm run bench:budgets`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = await build({
	root,
	configFile: false,
	logLevel: 'silent',
	// The messages alone: their runtime import (the app's lean one, vite.config.ts) is a stub.
	plugins: [
		{
			name: 'message-runtime-stub',
			enforce: 'pre',
			resolveId: (source, importer) =>
				source === '../runtime.js' && importer?.includes('/paraglide/messages/')
					? '\0message-runtime'
					: null,
			load: (id) =>
				id === '\0message-runtime'
					? 'export const experimentalStaticLocale = undefined; export const getLocale = () => globalThis.locale;'
					: null
		}
	],
	build: {
		write: false,
		minify: true,
		lib: { entry: join(root, 'src/lib/paraglide/messages.js'), formats: ['es'] }
	}
});
const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
const code = outputs
	.filter((chunk) => chunk.type === 'chunk')
	.map((chunk) => chunk.code)
	.join('\n');
const raw = Buffer.byteLength(code);
const gzip = gzipSync(code, { level: 9 }).length;

const count = new Set();
const characters = {};
for (const locale of readdirSync(join(root, 'messages'))) {
	characters[locale] = 0;
	for (const file of readdirSync(join(root, 'messages', locale))) {
		const messages = JSON.parse(readFileSync(join(root, 'messages', locale, file), 'utf8'));
		delete messages.$schema;
		for (const [key, message] of Object.entries(messages)) {
			count.add(key);
			characters[locale] += JSON.stringify(message).length;
		}
	}
}
console.log(`Messages: ${count.size}; characters in the files: ${JSON.stringify(characters)}`);
console.log(
	`Whole catalogue, every language, bundled: ${(raw / 1024).toFixed(1)} KB raw, ${(gzip / 1024).toFixed(1)} KB gzip -9 (${gzip} B)`
);
