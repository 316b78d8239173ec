// `npm run bench:budgets`: the figures behind the performance budgets, measured in one run.
//
// 1. JavaScript for a first visit to "/": the sum of the gzip -9 sizes of every JS response the
//    page loads until the network is idle, for this app (`vite build`, `node build`; a new visitor
//    is sent on to /welcome, and that counts too) and for a bare SvelteKit skeleton built with the
//    same versions in a temporary folder. Prints both and their ratio (target ≤ 1.5).
// 2. Lighthouse (mobile) on Today, Timeline and the diary of a patient onboarded through the real
//    UI in a Chromium profile that Lighthouse then reuses, so IndexedDB holds the patient, in
//    English and then in German (the language chosen in the profile). Prints the four category
//    scores per page and every audit that scored below 1.
//
// Flags: --skip-lighthouse, --skip-skeleton, --port=N (the app's server; the skeleton's takes N + 1;
// default 4320, so that several checkouts can measure side by side). Exits non-zero only when
// something fails; the figures are reported, not asserted.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../scripts/chromium.js';
import { onboardThroughUi } from './lib/onboard.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const known = new Set(['--skip-lighthouse', '--skip-skeleton']);
const portArg = [...args].find((arg) => arg.startsWith('--port='));
const port = portArg ? Number(portArg.slice('--port='.length)) : 4320;
if (!Number.isInteger(port) || port < 1 || port > 65534) {
	console.error(`--port needs a port number, not ${portArg}.`);
	process.exit(2);
}
for (const arg of args) {
	if (!known.has(arg) && arg !== portArg) {
		console.error(`Unknown argument ${arg}. Known: ${[...known].join(', ')}, --port=N`);
		process.exit(2);
	}
}
const skipLighthouse = args.has('--skip-lighthouse');
const skipSkeleton = args.has('--skip-skeleton');

const HOST = '127.0.0.1';
const APP_PORT = port;
const SKELETON_PORT = port + 1;
const TARGET_RATIO = 1.5;

/** Everything to undo at the end, newest first: servers, browsers, temporary folders. */
const cleanups = [];

async function cleanUp() {
	while (cleanups.length > 0) {
		const cleanup = cleanups.pop();
		try {
			await cleanup();
		} catch (error) {
			console.error('Clean-up failed:', error);
		}
	}
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		console.error(`\n${signal}: stopping servers and browsers…`);
		void cleanUp().finally(() => process.exit(130));
	});
}

function temporaryFolder(prefix) {
	const path = mkdtempSync(join(tmpdir(), prefix));
	cleanups.push(() => rmSync(path, { recursive: true, force: true }));
	return path;
}

/** Runs a command to completion, quietly; on failure shows its output and throws. */
function run(command, commandArgs, cwd) {
	const started = Date.now();
	const result = spawnSync(command, commandArgs, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: undefined },
		maxBuffer: 64 * 1024 * 1024
	});
	if (result.status !== 0) {
		process.stderr.write(result.stdout ?? '');
		process.stderr.write(result.stderr ?? '');
		throw new Error(
			`${command} ${commandArgs.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? `exit ${result.status}`}`
		);
	}
	return (Date.now() - started) / 1000;
}

async function responds(url) {
	try {
		await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(1000) });
		return true;
	} catch {
		return false;
	}
}

/** Starts `node build` in `cwd` on `port` and resolves once it answers; stopped by cleanUp. */
async function serve(cwd, port) {
	const url = `http://${HOST}:${port}/`;
	if (await responds(url)) {
		throw new Error(`Port ${port} is already in use; stop whatever serves ${url} first.`);
	}
	const server = spawn(process.execPath, ['build'], {
		cwd,
		env: { ...process.env, PORT: String(port), HOST },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	server.stdout.on('data', (chunk) => (output += chunk));
	server.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolve) => server.once('exit', resolve));
	cleanups.push(async () => {
		if (server.exitCode === null && server.signalCode === null) {
			server.kill('SIGTERM');
			const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
	});
	const deadline = Date.now() + 30_000;
	while (!(await responds(url))) {
		if (server.exitCode !== null) {
			throw new Error(`node build in ${cwd} exited with ${server.exitCode}:\n${output}`);
		}
		if (Date.now() > deadline) {
			throw new Error(`node build in ${cwd} did not answer on ${url} within 30 s:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	return url;
}

/** Resolves once no request has been in flight for `quietMs`. */
function networkIdle(page, quietMs = 1000, timeoutMs = 30_000) {
	let inFlight = 0;
	let lastActivity = Date.now();
	const started = () => {
		inFlight += 1;
		lastActivity = Date.now();
	};
	const ended = () => {
		inFlight = Math.max(0, inFlight - 1);
		lastActivity = Date.now();
	};
	page.on('request', started);
	page.on('requestfinished', ended);
	page.on('requestfailed', ended);
	return {
		async wait() {
			const deadline = Date.now() + timeoutMs;
			while (inFlight > 0 || Date.now() - lastActivity < quietMs) {
				if (Date.now() > deadline) {
					throw new Error(`network not idle after ${timeoutMs / 1000} s`);
				}
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			page.off('request', started);
			page.off('requestfinished', ended);
			page.off('requestfailed', ended);
		}
	};
}

/**
 * Opens `url` in a fresh context and sums the gzip -9 sizes of every JavaScript response until
 * the network is idle (after `waitForUrl`, when given).
 */
async function javascriptForFirstVisit(browser, url, waitForUrl) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		const bodies = new Map();
		page.on('response', (response) => {
			const type = response.headers()['content-type'] ?? '';
			const isScript = response.request().resourceType() === 'script' || /javascript/.test(type);
			if (isScript && response.status() < 300 && !bodies.has(response.url())) {
				bodies.set(response.url(), response.body());
			}
		});
		const idle = networkIdle(page);
		await page.goto(url, { waitUntil: 'load' });
		if (waitForUrl) {
			await page.waitForURL(waitForUrl, { timeout: 15_000 });
		}
		await idle.wait();
		const files = [];
		for (const [fileUrl, body] of bodies) {
			const raw = await body;
			files.push({
				path: new URL(fileUrl).pathname,
				raw: raw.length,
				gzip: gzipSync(raw, { level: 9 }).length
			});
		}
		files.sort((a, b) => b.gzip - a.gzip);
		return {
			finalUrl: page.url(),
			files,
			raw: files.reduce((sum, file) => sum + file.raw, 0),
			gzip: files.reduce((sum, file) => sum + file.gzip, 0)
		};
	} finally {
		await context.close();
	}
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function printJavascript(label, result) {
	console.log(
		`${label}: ${kb(result.gzip)} gzip -9 (${result.gzip} B; ${kb(result.raw)} raw) in ${result.files.length} files, ended at ${new URL(result.finalUrl).pathname}`
	);
	for (const file of result.files) {
		console.log(`    ${kb(file.gzip).padStart(9)}  ${file.path}`);
	}
}

function installedVersion(cwd, name) {
	const require = createRequire(join(cwd, 'package.json'));
	try {
		return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
	} catch {
		// Packages whose exports hide package.json: read it from node_modules directly.
		return JSON.parse(readFileSync(join(cwd, 'node_modules', name, 'package.json'), 'utf8'))
			.version;
	}
}

const toolchain = [
	'@sveltejs/kit',
	'@sveltejs/adapter-node',
	'@sveltejs/vite-plugin-svelte',
	'svelte',
	'vite',
	'typescript'
];

/** Writes what `npx sv create --template minimal --types ts` makes, with adapter-node. */
function writeSkeleton(dir) {
	const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	const files = {
		'package.json': `${JSON.stringify(
			{
				name: 'skeleton',
				private: true,
				version: '0.0.1',
				type: 'module',
				scripts: {
					dev: 'vite dev',
					build: 'vite build',
					preview: 'vite preview',
					prepare: "svelte-kit sync || echo ''"
				},
				devDependencies: Object.fromEntries(
					toolchain.map((name) => {
						const range = ours.devDependencies[name] ?? ours.dependencies?.[name];
						if (!range) {
							throw new Error(`package.json has no version of ${name}`);
						}
						return [name, range];
					})
				),
				overrides: ours.overrides ?? {}
			},
			null,
			'\t'
		)}\n`,
		'svelte.config.js': `import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: { adapter: adapter() }
};

export default config;
`,
		'vite.config.js': `import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [sveltekit()]
});
`,
		'tsconfig.json': `${JSON.stringify(
			{
				extends: './.svelte-kit/tsconfig.json',
				compilerOptions: {
					allowJs: true,
					checkJs: true,
					esModuleInterop: true,
					forceConsistentCasingInFileNames: true,
					resolveJsonModule: true,
					skipLibCheck: true,
					sourceMap: true,
					strict: true,
					moduleResolution: 'bundler'
				}
			},
			null,
			'\t'
		)}\n`,
		'src/app.d.ts': `// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {}
}

export {};
`,
		'src/app.html': `<!doctype html>
<html lang="en">
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		%sveltekit.head%
	</head>
	<body data-sveltekit-preload-data="hover">
		<div style="display: contents">%sveltekit.body%</div>
	</body>
</html>
`,
		'src/lib/index.ts': `// place files you want to import through the \`$lib\` alias in this folder.\n`,
		'src/lib/assets/favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg" width="107" height="128" viewBox="0 0 107 128"><path fill="#ff3e00" d="M94.1 16.9C83.7 1.8 62.9-2.6 47.8 7L21.4 23.8A30.3 30.3 0 0 0 7.7 44.1a32 32 0 0 0 3.1 20.5 30.4 30.4 0 0 0-4.5 11.4 32.3 32.3 0 0 0 5.5 24.4c10.4 15 31.2 19.5 46.3 9.9l26.4-16.8a30.3 30.3 0 0 0 13.7-20.3 32 32 0 0 0-3.1-20.5 30.4 30.4 0 0 0 4.5-11.4 32.3 32.3 0 0 0-5.5-24.4"/></svg>\n`,
		'src/routes/+layout.svelte': `<script lang="ts">
	import favicon from '$lib/assets/favicon.svg';

	let { children } = $props();
</script>

<svelte:head>
	<link rel="icon" href={favicon} />
</svelte:head>

{@render children?.()}
`,
		'src/routes/+page.svelte': `<h1>Welcome to SvelteKit</h1>
<p>Visit <a href="https://svelte.dev/docs/kit">svelte.dev/docs/kit</a> to read the documentation</p>
`
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), text);
	}
}

async function measureJavascript(browser) {
	console.log('\n== JavaScript for a first visit to "/" (gzip -9) ==');
	const seconds = run('npx', ['vite', 'build'], root);
	console.log(`App built with vite build in ${seconds.toFixed(1)} s.`);
	const appUrl = await serve(root, APP_PORT);
	const app = await javascriptForFirstVisit(browser, appUrl, /\/welcome$/);
	printJavascript(`App (${appUrl}, new visitor → /welcome)`, app);

	if (skipSkeleton) {
		console.log('Skeleton skipped (--skip-skeleton): no ratio.');
		return appUrl;
	}
	const dir = temporaryFolder('aftercare-skeleton-');
	writeSkeleton(dir);
	const installSeconds = run(
		'npm',
		['install', '--prefer-offline', '--no-audit', '--no-fund'],
		dir
	);
	const buildSeconds = run('npx', ['vite', 'build'], dir);
	const versions = toolchain.map((name) => {
		const theirs = installedVersion(dir, name);
		const ours = installedVersion(root, name);
		return theirs === ours ? `${name} ${ours}` : `${name} ${theirs} (app: ${ours})`;
	});
	console.log(
		`Skeleton installed in ${installSeconds.toFixed(1)} s, built in ${buildSeconds.toFixed(1)} s: ${versions.join(', ')}.`
	);
	const skeletonUrl = await serve(dir, SKELETON_PORT);
	const skeleton = await javascriptForFirstVisit(browser, skeletonUrl);
	printJavascript(`Skeleton (${skeletonUrl})`, skeleton);

	const ratio = app.gzip / skeleton.gzip;
	console.log(
		`Ratio app / skeleton: ${ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'within' : 'OVER'}).`
	);
	return appUrl;
}

function localDate(daysFromToday) {
	const date = new Date();
	date.setDate(date.getDate() + daysFromToday);
	const pad = (value) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Runs `work` on a page of a headless Chromium with the profile in `userDataDir`. */
async function inProfile(userDataDir, work) {
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		args: chromiumArgs,
		headless: true
	});
	try {
		return await work(context.pages()[0] ?? (await context.newPage()));
	} finally {
		await context.close();
	}
}

/** Onboards a patient through the real UI in a persistent profile that Lighthouse then reuses. */
function onboard(userDataDir, baseUrl) {
	return inProfile(userDataDir, async (page) => {
		const date = localDate(20);
		await onboardThroughUi(page, baseUrl, date);
		return date;
	});
}

const categories = ['performance', 'accessibility', 'best-practices', 'seo'];

function formatScore(score) {
	return score === null || score === undefined
		? '  –'
		: String(Math.round(score * 100)).padStart(3);
}

/**
 * Sets the app's language in the profile, as Settings → App → Language does (the choice lives in
 * localStorage), so the Lighthouse runs that follow see the screens in it.
 */
function chooseLanguage(userDataDir, baseUrl, language) {
	return inProfile(userDataDir, async (page) => {
		await page.goto(`${baseUrl}/settings/app`);
		await page.evaluate((tag) => localStorage.setItem('aftercare.language', tag), language);
		await page.reload();
		await page.waitForFunction((tag) => document.documentElement.lang === tag, language);
	});
}

/** Lighthouse on Today, Timeline and the diary, in the profile's language. */
async function lighthouseRows(lighthouse, chromeLauncher, userDataDir, baseUrl, language) {
	const chrome = await chromeLauncher.launch({
		chromePath: chromiumPath,
		userDataDir,
		chromeFlags: ['--headless=new', ...chromiumArgs],
		handleSIGINT: false,
		logLevel: 'silent'
	});
	const stop = async () => {
		if (chrome.process.exitCode === null && chrome.process.signalCode === null) {
			const exited = new Promise((resolve) => chrome.process.once('exit', resolve));
			chrome.kill();
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
		}
	};
	cleanups.push(stop);

	const pages = [
		['Today', '/'],
		['Timeline', '/timeline'],
		['Diary', '/diary']
	];
	const rows = [];
	for (const [page, path] of pages) {
		const name = `${page}, ${language}`;
		const url = new URL(path, baseUrl).href;
		const started = Date.now();
		const result = await lighthouse(url, {
			port: chrome.port,
			output: 'json',
			logLevel: 'error',
			disableStorageReset: true,
			onlyCategories: categories
		});
		if (!result) {
			throw new Error(`Lighthouse returned nothing for ${url}`);
		}
		const { lhr } = result;
		if (lhr.runtimeError) {
			throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
		}
		const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
		if (finalPath !== path) {
			throw new Error(
				`Lighthouse on ${url} ended at ${finalPath}: the profile lost the onboarded patient.`
			);
		}
		const below = new Map();
		for (const category of categories) {
			for (const ref of lhr.categories[category]?.auditRefs ?? []) {
				const audit = lhr.audits[ref.id];
				if (audit && typeof audit.score === 'number' && audit.score < 1) {
					below.set(audit.id, audit);
				}
			}
		}
		rows.push({
			name,
			path,
			seconds: (Date.now() - started) / 1000,
			formFactor: lhr.configSettings.formFactor,
			scores: categories.map((category) => lhr.categories[category]?.score),
			below: [...below.values()]
		});
	}
	// The next language's settings open the same profile: Chrome must have let go of it.
	await stop();
	return rows;
}

async function runLighthouse(baseUrl) {
	console.log('\n== Lighthouse (mobile), onboarded patient ==');
	const [{ default: lighthouse }, chromeLauncher] = await Promise.all([
		import('lighthouse'),
		import('chrome-launcher')
	]);
	const userDataDir = temporaryFolder('aftercare-lighthouse-profile-');
	const date = await onboard(userDataDir, baseUrl);
	console.log(
		`Onboarded through /welcome: treatment on ${date} (20 days ahead), all answers "No".`
	);

	const rows = [];
	for (const language of ['en', 'de']) {
		await chooseLanguage(userDataDir, baseUrl, language);
		rows.push(
			...(await lighthouseRows(lighthouse, chromeLauncher, userDataDir, baseUrl, language))
		);
	}

	console.log(
		`\n${'page'.padEnd(22)} ${categories.map((category) => category.slice(0, 4).padStart(4)).join(' ')}`
	);
	for (const row of rows) {
		console.log(
			`${`${row.name} (${row.path})`.padEnd(22)} ${row.scores.map((score) => formatScore(score).padStart(4)).join(' ')}   [${row.formFactor}, ${row.seconds.toFixed(0)} s]`
		);
	}
	for (const row of rows) {
		console.log(`\nAudits below 1 on ${row.name} (${row.path}):${row.below.length ? '' : ' none'}`);
		for (const audit of row.below) {
			const value = audit.displayValue ? ` — ${audit.displayValue}` : '';
			console.log(`  ${audit.score.toFixed(2)}  ${audit.id}: ${audit.title}${value}`);
		}
	}
}

let failed = false;
try {
	const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
	cleanups.push(() => browser.close());
	const appUrl = await measureJavascript(browser);
	if (skipLighthouse) {
		console.log('\nLighthouse skipped (--skip-lighthouse).');
	} else {
		await runLighthouse(appUrl);
	}
} catch (error) {
	failed = true;
	console.error('\nbench:budgets failed:', error instanceof Error ? error.message : error);
} finally {
	await cleanUp();
}
process.exit(failed ? 1 : 0);
