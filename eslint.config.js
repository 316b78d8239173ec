import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.e2e-builds/',
			'.pseudo-locale/',
			'src/lib/paraglide/',
			'.svelte-kit/',
			'node_modules/',
			'test-results/',
			'playwright-report/',
			// Served as written, before the page is drawn, to every first visit: kept to the bytes
			// (see src/lib/state/theme.ts; tests/e2e/themes.spec.ts checks what it does).
			'static/theme.js'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			// typescript-eslint recommends leaving undefined-variable checks to the compiler.
			'no-undef': 'off',
			curly: 'error'
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error'
		}
	},
	{
		// Every e2e spec takes `test` from the suite's fixtures, which fail a test on any browser
		// error it did not declare and record what it presses (docs/testing.md).
		files: ['tests/e2e/**/*.spec.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: '@playwright/test',
							message: "Import test and expect from './fixtures'; only types from here.",
							allowTypeImports: true
						}
					]
				}
			]
		}
	}
);
