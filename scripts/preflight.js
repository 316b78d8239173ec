// `npm test` runs this first: it checks that the programs the suite drives are installed
// (Chromium, openssl, PostgreSQL's server binaries, and WebKitGTK with Xvfb for the WebKit runs),
// before anything is built. As root on Debian it installs what is missing with apt-get, as CI
// does (.ci/run relies on it); otherwise it stops at once with the exact command to run.
//
//   node scripts/preflight.js            check, install as root, or stop
//   PREFLIGHT_INSTALL=0 …                never install: stop with the command instead
//
// The decision (`preflightPlan`) is pure and unit-tested (tests/scripts/preflight.spec.ts); the
// probes and apt-get are the thin layer around it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { postgresBinDir } from '../tests/support/postgres.js';

/**
 * Something the suite needs from the system.
 * @typedef {object} Requirement
 * @property {string} id
 * @property {string} what what it is and which tests use it
 * @property {string[]} packages the Debian packages that provide it
 * @property {'always' | 'ci'} needed `ci`: only under CI=true; elsewhere its tests skip
 */

/** @type {Requirement[]} */
export const requirements = [
	{
		id: 'chromium',
		what: 'Chromium, for the browser tests (Playwright drives Debian\u2019s build)',
		packages: ['chromium'],
		needed: 'always'
	},
	{
		id: 'openssl',
		what: 'openssl, which makes the mock push service\u2019s certificate',
		packages: ['openssl'],
		needed: 'always'
	},
	{
		id: 'postgresql',
		what: 'PostgreSQL\u2019s server binaries (initdb, pg_ctl), for the store and fault tests',
		packages: ['postgresql'],
		needed: 'always'
	},
	{
		id: 'webkit',
		what: 'WebKitGTK\u2019s WebDriver, Xvfb and python3-gi, for the WebKit runs (tests/webkit)',
		packages: ['webkit2gtk-driver', 'xvfb', 'python3-gi', 'gir1.2-webkit2-4.1', 'locales'],
		needed: 'ci'
	}
];

/**
 * What a probe found for one requirement.
 * @typedef {object} Probe
 * @property {boolean} ok
 * @property {string} [detail] what is missing, e.g. "/usr/bin/chromium not found"
 * @property {boolean} [installable] false when installing packages cannot help (a path set in
 *   the environment points nowhere); default true
 */

/**
 * What to do.
 * @typedef {{ kind: 'ready', warnings: string[] }
 *   | { kind: 'install', packages: string[], warnings: string[] }
 *   | { kind: 'stop', message: string }} Plan
 */

/**
 * Decides from the probes what `npm test` does before it builds anything.
 * @param {Record<string, Probe>} probes by requirement id
 * @param {{ ci: boolean, root: boolean, aptGet: boolean, mayInstall: boolean }} context `ci`:
 *   CI=true (nothing may be skipped); `root` and `aptGet`: whether apt-get can run here;
 *   `mayInstall`: false when PREFLIGHT_INSTALL=0
 * @returns {Plan}
 */
export function preflightPlan(probes, { ci, root, aptGet, mayInstall }) {
	const missing = requirements.filter((requirement) => probes[requirement.id]?.ok === false);
	const blocking = missing.filter((requirement) => requirement.needed === 'always' || ci);
	const optional = missing.filter((requirement) => !blocking.includes(requirement));

	const unfixable = blocking.filter((requirement) => probes[requirement.id]?.installable === false);
	if (unfixable.length > 0) {
		return { kind: 'stop', message: stopMessage(unfixable, probes, null) };
	}
	const canInstall = root && aptGet && mayInstall;
	const installable = missing.filter(
		(requirement) => probes[requirement.id]?.installable !== false
	);
	if (canInstall && installable.length > 0) {
		return { kind: 'install', packages: packagesOf(installable), warnings: [] };
	}
	const command = installCommand(packagesOf(blocking.length > 0 ? blocking : optional), {
		root,
		aptGet
	});
	if (blocking.length > 0) {
		return { kind: 'stop', message: stopMessage(blocking, probes, command) };
	}
	const warnings = optional.map(
		(requirement) =>
			`${requirement.what}: ${probes[requirement.id]?.detail ?? 'missing'}; those tests will ` +
			`be skipped. To run them: ${installCommand(requirement.packages, { root, aptGet })}`
	);
	return { kind: 'ready', warnings };
}

/**
 * The command a person runs to install `packages`.
 * @param {string[]} packages
 * @param {{ root: boolean, aptGet: boolean }} context
 */
export function installCommand(packages, { root, aptGet }) {
	const list = packages.join(' ');
	if (!aptGet) {
		return `install the Debian packages ${list} (or your system's equivalents)`;
	}
	const sudo = root ? '' : 'sudo ';
	return `${sudo}apt-get update && ${sudo}apt-get install -y ${list}`;
}

/** @param {Requirement[]} requirements */
function packagesOf(requirements) {
	return [...new Set(requirements.flatMap((requirement) => requirement.packages))];
}

/**
 * @param {Requirement[]} missing
 * @param {Record<string, Probe>} probes
 * @param {string | null} command how to install them, or null when installing cannot help
 */
function stopMessage(missing, probes, command) {
	const lines = ['npm test cannot run here yet. Missing:'];
	for (const requirement of missing) {
		lines.push(`  - ${requirement.what}: ${probes[requirement.id]?.detail ?? 'not found'}`);
	}
	if (command) {
		lines.push('Run this, then npm test again:', `  ${command}`);
	}
	return lines.join('\n');
}

/**
 * Looks at this machine. WebKit's paths are those tests/webkit/harness.ts starts.
 * @param {NodeJS.ProcessEnv} env
 * @returns {Record<string, Probe>}
 */
export function probeSystem(env = process.env) {
	const chromium = env.CHROME_PATH ?? '/usr/bin/chromium';
	/** @type {Record<string, Probe>} */
	const probes = {
		chromium: existsSync(chromium)
			? { ok: true }
			: env.CHROME_PATH
				? {
						ok: false,
						detail: `CHROME_PATH=${chromium} does not exist (unset it to use /usr/bin/chromium)`,
						installable: false
					}
				: { ok: false, detail: `${chromium} not found` },
		openssl: onPath('openssl') ? { ok: true } : { ok: false, detail: 'openssl not on PATH' },
		postgresql: postgresBinDir()
			? { ok: true }
			: { ok: false, detail: 'no initdb in pg_config --bindir or /usr/lib/postgresql/*/bin' }
	};
	const webkitFiles = [
		'/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
		'/usr/bin/WebKitWebDriver',
		'/usr/bin/Xvfb',
		'/usr/bin/python3'
	].filter((path) => !existsSync(path));
	if (webkitFiles.length > 0) {
		probes.webkit = { ok: false, detail: `${webkitFiles.join(', ')} not found` };
	} else if (
		spawnSync('/usr/bin/python3', [
			'-c',
			"import gi; gi.require_version('Gtk', '3.0'); gi.require_version('WebKit2', '4.1'); from gi.repository import WebKit2"
		]).status !== 0
	) {
		probes.webkit = { ok: false, detail: 'python3 cannot import WebKit2 4.1 through python3-gi' };
	} else if (!hasEnGbLocale()) {
		probes.webkit = { ok: false, detail: 'no en_GB.UTF-8 locale, nor its source to make one' };
	} else {
		probes.webkit = { ok: true };
	}
	return probes;
}

/** The harness makes the locale itself when its source (the `locales` package) is there. */
function hasEnGbLocale() {
	const installed = spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '';
	return /^en_GB\.utf-?8$/im.test(installed) || existsSync('/usr/share/i18n/locales/en_GB');
}

/** @param {string} command */
function onPath(command) {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** @param {string[]} packages */
function aptInstall(packages) {
	console.log(`preflight: installing ${packages.join(' ')} with apt-get`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', ...packages]
	]) {
		const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
		if (result.status !== 0) {
			return false;
		}
	}
	return true;
}

/** Runs the check; returns the exit code. */
function main() {
	const context = {
		ci: process.env.CI === 'true',
		root: process.getuid?.() === 0,
		aptGet: onPath('apt-get'),
		mayInstall: process.env.PREFLIGHT_INSTALL !== '0'
	};
	let plan = preflightPlan(probeSystem(), context);
	if (plan.kind === 'install') {
		const installed = aptInstall(plan.packages);
		// Whatever apt-get said, the second look decides; it never installs twice.
		plan = preflightPlan(probeSystem(), { ...context, mayInstall: false });
		if (!installed && plan.kind !== 'stop') {
			console.warn('preflight: apt-get failed, but what the tests need is there');
		}
	}
	if (plan.kind === 'stop') {
		console.error(plan.message);
		return 1;
	}
	for (const warning of plan.kind === 'ready' ? plan.warnings : []) {
		console.warn(`preflight: ${warning}`);
	}
	return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	process.exitCode = main();
}
