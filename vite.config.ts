import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './scripts/chromium.js';

/**
 * Svelte's code for keyed lists, form bindings and `$state.snapshot` is used only by screens past
 * the welcome screen, yet by default it sits in the runtime chunk that every first visit loads.
 * This puts it in a chunk of its own, loaded with the screens that use it (about 3 KB gzip off a
 * new visitor's first load; `npm run bench:budgets` prints the figure).
 *
 * - `includeDependenciesRecursively: false` keeps the rest of the runtime out of that chunk, and
 *   needs entry signatures that may be extended (SvelteKit asks for strict ones; its route nodes
 *   are read by their named exports, which stay).
 * - The modules only define functions and constants, so they are declared free of side effects:
 *   otherwise the runtime chunk would import them just to keep evaluation order.
 * If Svelte moves these files, nothing breaks: the pattern matches nothing and they stay put.
 */
function splitSvelteExtras(): Plugin {
	const extras =
		/node_modules[\\/]svelte[\\/]src[\\/]internal[\\/](client[\\/]dom[\\/](blocks[\\/]each|elements[\\/]bindings[\\/](input|select))|shared[\\/]clone)\.js$/;
	return {
		name: 'aftercare:split-svelte-extras',
		apply: 'build',
		enforce: 'post',
		// The server bundle is left as SvelteKit makes it.
		applyToEnvironment: (environment) => environment.name === 'client',
		configEnvironment: (name) => {
			if (name !== 'client') {
				return;
			}
			return {
				build: {
					// No preload lists beside each lazy import, nor Vite's helper that reads them (about
					// 1.2 KB gzip of every first visit): a lazy chunk's own imports load as the browser
					// reads it, from the service worker's cache after the first visit. Lighthouse on
					// Today, Timeline and Diary was no worse without (docs/decisions/0004).
					modulePreload: false,
					rolldownOptions: {
						treeshake: { moduleSideEffects: [{ test: extras, sideEffects: false }] },
						output: {
							codeSplitting: {
								includeDependenciesRecursively: false,
								groups: [{ name: 'svelte-extras', test: extras }]
							}
						}
					}
				}
			};
		},
		options(options) {
			options.preserveEntrySignatures = 'allow-extension';
		}
	};
}

/**
 * The compiled messages read the locale from src/lib/i18n/message-runtime.ts instead of Paraglide's
 * runtime, which brings strategies (URL, cookie, server) this app never uses to every first visit.
 * Only the messages' own `../runtime.js` import is redirected; the app imports Paraglide's runtime
 * for its list of locales, and unused parts of it are left out of the bundle.
 */
function leanMessageRuntime(): Plugin {
	const messages = /[\\/]src[\\/]lib[\\/]paraglide[\\/]messages[\\/]/;
	const target = fileURLToPath(new URL('./src/lib/i18n/message-runtime.ts', import.meta.url));
	return {
		name: 'aftercare:lean-message-runtime',
		enforce: 'pre',
		resolveId(source, importer) {
			return source === '../runtime.js' && importer && messages.test(importer) ? target : null;
		}
	};
}

/**
 * Component specs run in Debian's Chromium. Without it, a local run leaves them out with a warning;
 * under CI they stay in, so a browser that cannot start fails the run.
 */
const componentsInBrowser = Boolean(process.env.CI) || existsSync(chromiumPath);
if (!componentsInBrowser && !process.env.AFTERCARE_COMPONENTS_WARNED) {
	// Vitest reads this file once per project: warn once.
	process.env.AFTERCARE_COMPONENTS_WARNED = '1';
	console.warn(`Component specs skipped: no Chromium at ${chromiumPath} (set CHROME_PATH).`);
}

/**
 * The message catalogue (messages/<locale>/*.json) compiled into typed, tree-shaken functions in
 * src/lib/paraglide. The locale is chosen by src/lib/i18n/language.svelte.ts, which overwrites
 * `getLocale`, so no detection strategy is compiled in. `AFTERCARE_PSEUDO_LOCALE=1` compiles the
 * test project instead, which adds the pseudo-locale (scripts/pseudo-locale.js, docs/testing.md).
 */
const i18nProject = process.env.AFTERCARE_PSEUDO_LOCALE
	? './.pseudo-locale/project.inlang'
	: './project.inlang';

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: i18nProject,
			outdir: './src/lib/paraglide',
			strategy: ['baseLocale'],
			emitGitIgnore: false,
			emitPrettierIgnore: false
		}),
		leanMessageRuntime(),
		sveltekit(),
		splitSvelteExtras()
	],
	test: {
		expect: { requireAssertions: true },
		// CI also writes a JSON report, read by scripts/test-summary.js for the closing line.
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'reports/unit.json' },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['src/**/*.spec.ts'],
					exclude: ['src/**/*.svelte.spec.ts', 'src/**/*.component.spec.ts'],
					// Pinned so results never depend on the machine's zone.
					env: { TZ: 'UTC' }
				}
			},
			{
				// Runes modules run as in the browser, where `$state` is a proxy (see the file), and
				// with Svelte's browser modules: elsewhere `SvelteSet` is a plain, unreactive Set.
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'unit-svelte-client',
					environment: './tests/environments/svelte-client.ts',
					include: ['src/**/*.svelte.spec.ts'],
					env: { TZ: 'UTC' }
				}
			},
			{
				// The project's own scripts (preflight, import cycles): their pure parts.
				extends: true,
				test: {
					name: 'scripts',
					environment: 'node',
					include: ['tests/scripts/**/*.spec.ts'],
					env: { TZ: 'UTC' }
				}
			},
			{
				// The same time-sensitive specs again with the process in a zone that has DST, so a
				// hidden dependency on the machine's local time shows up as a failure.
				extends: true,
				test: {
					name: 'unit-dst-zone',
					environment: 'node',
					include: ['src/lib/domain/**/*.spec.ts'],
					env: { TZ: 'America/Santiago' }
				}
			},
			...(componentsInBrowser
				? [
						{
							// Components mounted in a real browser, where their accessibility wiring lives:
							// accessible names, aria-describedby, focus. Vitest's browser mode, driving
							// Debian's Chromium through Playwright (docs/testing.md).
							extends: true as const,
							test: {
								name: 'components',
								include: ['src/**/*.component.spec.ts'],
								setupFiles: ['./tests/components/setup.ts'],
								browser: {
									enabled: true,
									headless: true,
									provider: playwright({
										launchOptions: { executablePath: chromiumPath, args: chromiumArgs }
									}),
									instances: [{ browser: 'chromium' as const }],
									screenshotFailures: false
								}
							}
						}
					]
				: [])
		]
	}
});
