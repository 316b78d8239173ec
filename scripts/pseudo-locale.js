// `npm run build:pseudo`: a build of the app with one more language, the pseudo-locale `en-XA`,
// whose every message is the English one wrapped in ⟦…⟧. tests/e2e/pseudo-locale.spec.ts walks
// the screens in it: a visible text that is not wrapped was never put in the catalogue.
//
// 1. Writes .pseudo-locale/: a copy of the inlang project with `en-XA` added, and the messages of
//    every language, en-XA made from en.
// 2. Builds with AFTERCARE_PSEUDO_LOCALE=1 (vite.config.ts compiles that project) into
//    .e2e-builds/pseudo.
// 3. Compiles the real catalogue again, so src/lib/paraglide holds en and de only.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const pseudoLocale = 'en-XA';
const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.pseudo-locale');

/**
 * ⟦text⟧, placeholders and all: the marks show where a message starts and ends.
 * @param {string} text
 */
export function pseudoText(text) {
	return `⟦${text}⟧`;
}

/**
 * A message in inlang's format, pseudo-translated: a string, or each variant of a match.
 * @param {string | { match: Record<string, string> }[]} message
 */
export function pseudoMessage(message) {
	if (typeof message === 'string') {
		return pseudoText(message);
	}
	return message.map((variant) => ({
		...variant,
		match: Object.fromEntries(
			Object.entries(variant.match).map(([key, text]) => [key, pseudoText(text)])
		)
	}));
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} env
 */
function run(command, args, env = {}) {
	const result = spawnSync(command, args, {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, ...env }
	});
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
	}
}

function writeProject() {
	rmSync(out, { recursive: true, force: true });
	const settings = JSON.parse(readFileSync(join(root, 'project.inlang/settings.json'), 'utf8'));
	settings.locales = [...settings.locales, pseudoLocale];
	// Paths in a project are read from the folder that holds it: .pseudo-locale here.
	settings.modules = settings.modules.map((/** @type {string} */ module) =>
		module.replace(/^\.\//, '../')
	);
	for (const module of settings.modules) {
		// inlang only warns about a plugin it cannot load, and compiles no messages at all.
		if (!existsSync(join(out, module))) {
			throw new Error(`The inlang plugin ${module} is missing from ${out}`);
		}
	}
	mkdirSync(join(out, 'project.inlang'), { recursive: true });
	writeFileSync(join(out, 'project.inlang/settings.json'), JSON.stringify(settings, null, '\t'));
	for (const locale of readdirSync(join(root, 'messages'))) {
		mkdirSync(join(out, 'messages', locale), { recursive: true });
		for (const file of readdirSync(join(root, 'messages', locale))) {
			const text = readFileSync(join(root, 'messages', locale, file), 'utf8');
			writeFileSync(join(out, 'messages', locale, file), text);
			if (locale === settings.baseLocale) {
				const { $schema, ...messages } = JSON.parse(text);
				const pseudo = Object.fromEntries(
					Object.entries(messages).map(([key, message]) => [key, pseudoMessage(message)])
				);
				mkdirSync(join(out, 'messages', pseudoLocale), { recursive: true });
				writeFileSync(
					join(out, 'messages', pseudoLocale, file),
					JSON.stringify({ $schema, ...pseudo }, null, '\t')
				);
			}
		}
	}
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
	writeProject();
	try {
		run('npx', ['vite', 'build'], {
			AFTERCARE_PSEUDO_LOCALE: '1',
			AFTERCARE_BUILD_OUT: '.e2e-builds/pseudo'
		});
	} finally {
		run('npm', ['run', 'i18n', '--silent']);
	}
}
