// Runs the production build in WebKit (Debian's WebKitGTK, Safari's engine) over W3C WebDriver,
// as an iPhone would show it: WebKitWebDriver under Xvfb, a 412×915 window, an iPhone Safari user
// agent, en-GB and Europe/Berlin. See docs/testing.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBuilt } from '../support/built-process.js';
import { Session, type Element } from './webdriver';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const WEBDRIVER = '/usr/bin/WebKitWebDriver';
const XVFB = '/usr/bin/Xvfb';
/** Debian's Python, which has python3-gi (a python3 earlier on PATH may not). */
const PYTHON = '/usr/bin/python3';
const OWN_BROWSER = join(root, 'scripts', 'webkit-browser.py');

/** What to install when WebKit is missing. */
export const APT_PACKAGES = 'webkit2gtk-driver xvfb python3-gi gir1.2-webkit2-4.1';

const LOCALE = 'en_GB.UTF-8';
const TIME_ZONE = 'Europe/Berlin';
export const VIEWPORT = { width: 412, height: 915 };
const IPHONE_SAFARI =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';
/** WebKitGTK ships `navigator.storage` off; iOS 17+ has it on. */
const FEATURES = 'StorageAPI,StorageAPIEstimate';

/**
 * - `ephemeral`: MiniBrowser's automation session, which keeps nothing, like Safari's Private
 *   Browsing;
 * - `persistent`: scripts/webkit-browser.py, which keeps website data in a folder, like a normal
 *   Safari tab or the app added to the home screen.
 */
export type Mode = 'ephemeral' | 'persistent';

/** Why WebKit cannot run here, or null when everything it needs is installed. */
export function missingWebKit(): string | null {
	const missing = [MINIBROWSER, WEBDRIVER, XVFB, PYTHON].filter((path) => !existsSync(path));
	if (missing.length > 0) {
		return `${missing.join(', ')} not found`;
	}
	const gi = spawnSync(PYTHON, [
		'-c',
		"import gi; gi.require_version('Gtk', '3.0'); gi.require_version('WebKit2', '4.1'); from gi.repository import WebKit2"
	]);
	return gi.status === 0 ? null : `${PYTHON} cannot import WebKit2 4.1 through python3-gi`;
}

/**
 * The environment the browser gets: an en-GB UTF-8 locale (without one, `navigator.language` is
 * "C"), generated into a folder of its own when the system has none, and Berlin's time zone.
 */
function browserEnvironment(display: string, scratch: string): NodeJS.ProcessEnv {
	const environment: NodeJS.ProcessEnv = {
		...process.env,
		DISPLAY: display,
		LANG: LOCALE,
		LC_ALL: LOCALE,
		TZ: TIME_ZONE
	};
	const installed = spawnSync('locale', ['-a'], { encoding: 'utf8' }).stdout ?? '';
	if (!/^en_GB\.utf-?8$/im.test(installed)) {
		const locales = join(scratch, 'locales');
		mkdirSync(locales, { recursive: true });
		const made = spawnSync('localedef', ['-i', 'en_GB', '-f', 'UTF-8', join(locales, LOCALE)], {
			encoding: 'utf8'
		});
		// localedef exits 1 on mere warnings; the locale is there all the same.
		if (!existsSync(join(locales, LOCALE))) {
			throw new Error(`cannot generate the ${LOCALE} locale: ${made.stderr}`);
		}
		environment.LOCPATH = locales;
	}
	return environment;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createNetServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Ports for the app (as the browser sees it), the app server and WebKitWebDriver. */
async function ports(): Promise<[number, number, number]> {
	// WEBKIT_PORT pins them (three in a row) for a machine shared with others.
	const base = Number(process.env.WEBKIT_PORT);
	if (base) {
		return [base, base + 1, base + 2];
	}
	return [await freePort(), await freePort(), await freePort()];
}

/**
 * A child process in a group of its own, so that stopping it stops what it started too (the
 * driver's browser and WebKit's web and network processes).
 * @param fd3 also a pipe on file descriptor 3 (Xvfb writes its display number there)
 */
function startGroup(
	command: string,
	args: string[],
	environment: NodeJS.ProcessEnv,
	fd3 = false
): { child: ChildProcess; output: () => string; stop: () => Promise<void> } {
	const child = spawn(command, args, {
		env: environment,
		detached: true,
		stdio: fd3 ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		child,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				try {
					process.kill(-child.pid!, 'SIGTERM');
				} catch {
					// Gone already.
				}
				const killed = setTimeout(() => {
					try {
						process.kill(-child.pid!, 'SIGKILL');
					} catch {
						// Gone already.
					}
				}, 3_000);
				await exited;
				clearTimeout(killed);
			}
		}
	};
}

/** Starts Xvfb on a display it picks itself (no clash with other runs); resolves with it. */
async function startXvfb(environment: NodeJS.ProcessEnv) {
	const xvfb = startGroup(
		XVFB,
		['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
		environment,
		true
	);
	const display = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`Xvfb did not start:\n${xvfb.output()}`)),
			10_000
		);
		(xvfb.child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
			clearTimeout(timer);
			resolve(`:${chunk.toString().trim()}`);
		});
		xvfb.child.once('exit', (code) =>
			reject(new Error(`Xvfb exited with ${code}:\n${xvfb.output()}`))
		);
	});
	return { display, stop: xvfb.stop };
}

/** Waits until `url` answers, or fails after `timeoutMs`. */
async function waitForHttp(url: string, timeoutMs: number, what: () => string): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		try {
			await fetch(url);
			return;
		} catch {
			if (Date.now() > until) {
				throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${what()}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}

/**
 * Put first into every page the app serves, through the proxy below: records the page's errors
 * (uncaught, unhandled rejections, Content-Security-Policy violations, and `console.error`,
 * where the app reports what it told the patient went wrong) in `window.__pageErrors`.
 * WebKitWebDriver has no console log to read. The proxy adds its hash to the page's policy.
 */
const ERROR_RECORDER_SOURCE = `(() => {
	const errors = (window.__pageErrors = []);
	const describe = (value) =>
		value instanceof Error ? value.name + ': ' + value.message + ' ' + (value.stack || '') : String(value);
	addEventListener('error', (event) =>
		errors.push('error: ' + describe(event.error || event.message) + ' (' + event.filename + ':' + event.lineno + ')'));
	addEventListener('unhandledrejection', (event) => errors.push('unhandled rejection: ' + describe(event.reason)));
	addEventListener('securitypolicyviolation', (event) =>
		errors.push('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI));
	const consoleError = console.error.bind(console);
	console.error = (...args) => {
		errors.push('console.error: ' + args.map(describe).join(' '));
		consoleError(...args);
	};
})();`;
const ERROR_RECORDER = `<script>${ERROR_RECORDER_SOURCE}</script>`;
/** The recorder's hash, added to the page's Content-Security-Policy so the inline script runs. */
const ERROR_RECORDER_HASH = `'sha256-${createHash('sha256').update(ERROR_RECORDER_SOURCE).digest('base64')}'`;

/** The app's policy with the recorder allowed, and nothing else changed. */
function allowRecorder(policy: string | string[] | undefined): string | undefined {
	if (typeof policy !== 'string') {
		return undefined;
	}
	return policy.replace(/(^|;\s*)script-src\b/, `$& ${ERROR_RECORDER_HASH}`);
}

/**
 * The origin the browser talks to: passes every request to the app server, and puts the error
 * recorder at the start of every HTML page (the service worker caches that page as it gets it).
 */
async function startRecordingProxy(port: number, target: number) {
	const server = createServer((incoming, outgoing) => {
		const headers: IncomingHttpHeaders = { ...incoming.headers, host: `127.0.0.1:${target}` };
		// Plain bodies, so HTML can be edited.
		delete headers['accept-encoding'];
		const forwarded = httpRequest(
			{ host: '127.0.0.1', port: target, method: incoming.method, path: incoming.url, headers },
			(answer) => {
				if (!String(answer.headers['content-type']).startsWith('text/html')) {
					outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(outgoing);
					return;
				}
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () => {
					const html = Buffer.concat(chunks)
						.toString('utf8')
						.replace(/<head[^>]*>/i, (head) => `${head}${ERROR_RECORDER}`);
					const body = Buffer.from(html, 'utf8');
					const policy = allowRecorder(answer.headers['content-security-policy']);
					outgoing.writeHead(answer.statusCode ?? 502, {
						...answer.headers,
						...(policy ? { 'content-security-policy': policy } : {}),
						'content-length': String(body.length)
					});
					outgoing.end(body);
				});
			}
		);
		forwarded.on('error', () => {
			outgoing.writeHead(502).end();
		});
		incoming.pipe(forwarded);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			})
	};
}

/** A page in WebKit, with the few things a test does on it. */
export class WebKitPage {
	constructor(
		readonly session: Session,
		readonly origin: string
	) {}

	/** Opens a path of the app (only to start: tests go on by tapping). */
	async goto(path: string): Promise<void> {
		await this.session.navigate(`${this.origin}${path}`);
	}

	async reload(): Promise<void> {
		await this.session.refresh();
	}

	/** The path and query of the address shown. */
	async path(): Promise<string> {
		const url = new URL(await this.session.url());
		return `${url.pathname}${url.search}`;
	}

	/** Waits until the address's path and query match. */
	async waitForPath(pattern: RegExp): Promise<string> {
		return waitUntil(`the address to match ${pattern}`, async () => {
			const path = await this.path();
			return pattern.test(path) ? path : null;
		});
	}

	/** Waits for the first element `xpath` finds that is shown, and returns it. */
	async waitFor(xpath: string, timeoutMs?: number): Promise<Element> {
		return waitUntil(
			`an element shown at ${xpath}`,
			async () => {
				for (const element of await this.session.findAll(xpath)) {
					if (await element.displayed()) {
						return element;
					}
				}
				return null;
			},
			timeoutMs
		);
	}

	/** Waits for an element whose text contains `text`; returns its whole text. */
	async waitForText(xpath: string, text: string): Promise<string> {
		let last = '';
		return waitUntil(
			() => `${xpath} to contain "${text}" (it says "${last}")`,
			async () => {
				const [element] = await this.session.findAll(xpath);
				last = element ? await element.text() : '(no element)';
				return last.includes(text) ? last : null;
			}
		);
	}

	/** Taps a control: waits for it to be shown and enabled, scrolls it to the middle, clicks. */
	async tap(xpath: string): Promise<void> {
		const element = await this.waitFor(xpath);
		await waitUntil(`${xpath} to be enabled`, async () =>
			(await element.enabled()) ? true : null
		);
		// The middle of the screen, clear of the bottom navigation bar.
		await this.session.execute("arguments[0].scrollIntoView({ block: 'center' })", [element]);
		await element.click();
	}

	/** Scrolls an element to the top of the screen, as a patient's swipe would. */
	async scrollTo(xpath: string): Promise<void> {
		await this.session.execute("arguments[0].scrollIntoView({ block: 'start' })", [
			await this.waitFor(xpath)
		]);
	}

	/** Types into an input, after emptying it. */
	async fill(xpath: string, text: string): Promise<void> {
		const element = await this.waitFor(xpath);
		await element.clear();
		await element.type(text);
	}

	/** Runs `body` in the page (a function body: `arguments` holds `args`). */
	evaluate<T>(body: string, ...args: unknown[]): Promise<T> {
		return this.session.execute<T>(body, args);
	}

	/** Runs `body` (a function body that may `await`) in the page, and waits for its result. */
	async evaluateAsync<T>(body: string, ...args: unknown[]): Promise<T> {
		const answer = await this.session.executeAsync<{ value?: T; error?: string }>(
			`const done = arguments[arguments.length - 1];
			(async (...args) => { ${body} })(...Array.prototype.slice.call(arguments, 0, -1)).then(
				(value) => done({ value }),
				(error) => done({ error: String(error && error.stack ? error + ' ' + error.stack : error) })
			);`,
			args
		);
		if (answer.error !== undefined) {
			throw new Error(`in the page: ${answer.error}`);
		}
		return answer.value as T;
	}

	/**
	 * The errors the page recorded since it loaded. Throws when the recorder is not there, so a
	 * page that escaped it cannot pass for a page without errors.
	 */
	async pageErrors(): Promise<string[]> {
		const errors = await this.evaluate<string[] | null>('return window.__pageErrors ?? null');
		if (!errors) {
			throw new Error('the page has no error recorder: it was not served through the proxy');
		}
		return errors;
	}
}

/** Polls `probe` until it returns something other than null; fails after `timeoutMs`. */
export async function waitUntil<T>(
	what: string | (() => string),
	probe: () => Promise<T | null>,
	timeoutMs = 15_000
): Promise<T> {
	const until = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== null) {
				return value;
			}
		} catch (error) {
			// An element can go stale while the page changes: try again.
			lastError = error;
		}
		if (Date.now() > until) {
			const because = lastError ? ` (last error: ${String(lastError)})` : '';
			throw new Error(
				`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}${because}`
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** Everything one WebKit run needs: display, driver, app server, and the browser on top. */
export class WebKitRun {
	private page: WebKitPage | null = null;
	private readonly dataDir: string;

	private constructor(
		readonly mode: Mode,
		readonly origin: string,
		private readonly driverUrl: string,
		private readonly scratch: string,
		private readonly stops: (() => Promise<void>)[],
		private appStops: (() => Promise<void>)[]
	) {
		this.dataDir = join(scratch, 'website-data');
	}

	/** Starts Xvfb, WebKitWebDriver and the app; then `open()` starts the browser. */
	static async start(mode: Mode): Promise<WebKitRun> {
		const missing = missingWebKit();
		if (missing) {
			throw new Error(`WebKit cannot run: ${missing}. Install: apt-get install ${APT_PACKAGES}`);
		}
		const scratch = mkdtempSync(join(tmpdir(), 'aftercare-webkit-'));
		const stops: (() => Promise<void>)[] = [];
		try {
			const [proxyPort, appPort, driverPort] = await ports();
			const xvfb = await startXvfb(process.env);
			stops.push(xvfb.stop);
			const driver = startGroup(
				WEBDRIVER,
				[`--port=${driverPort}`, '--host=127.0.0.1'],
				browserEnvironment(xvfb.display, scratch)
			);
			stops.push(driver.stop);
			const driverUrl = `http://127.0.0.1:${driverPort}`;
			await waitForHttp(`${driverUrl}/status`, 10_000, driver.output);

			const app = await startBuilt('build', {
				cwd: root,
				env: { HOST: '127.0.0.1', PORT: String(appPort), DATA_DIR: join(scratch, 'app-data') },
				ready: 'Listening on'
			});
			const proxy = await startRecordingProxy(proxyPort, appPort);
			const appStops = [proxy.stop, async () => void (await app.stop())];
			return new WebKitRun(
				mode,
				`http://127.0.0.1:${proxyPort}`,
				driverUrl,
				scratch,
				stops,
				appStops
			);
		} catch (error) {
			for (const stop of stops.reverse()) {
				await stop();
			}
			rmSync(scratch, { recursive: true, force: true });
			throw error;
		}
	}

	/** The browser's capabilities for this run's mode. */
	private capabilities(): Record<string, unknown> {
		const shared = [`--user-agent=${IPHONE_SAFARI}`, `--features=${FEATURES}`];
		return this.mode === 'ephemeral'
			? {
					browserName: 'MiniBrowser',
					'webkitgtk:browserOptions': {
						binary: MINIBROWSER,
						// --full-screen hides the toolbar, else the window stays at least 447 px wide.
						args: ['--automation', '--full-screen', ...shared]
					}
				}
			: {
					browserName: 'AftercareWebKit',
					'webkitgtk:browserOptions': {
						binary: PYTHON,
						args: [OWN_BROWSER, '--automation', `--data-dir=${this.dataDir}`, ...shared]
					}
				};
	}

	/**
	 * Starts the browser (a persistent one on the data it kept before, if any) at 412×915.
	 * @returns a blank page; `goto` opens the app
	 */
	async open(): Promise<WebKitPage> {
		await this.closeBrowser();
		const session = await Session.start(this.driverUrl, this.capabilities());
		await session.setWindowRect(VIEWPORT);
		this.page = new WebKitPage(session, this.origin);
		return this.page;
	}

	/** Ends the browser session; a persistent browser's data stays for the next `open()`. */
	async closeBrowser(): Promise<void> {
		const page = this.page;
		this.page = null;
		await page?.session.end();
	}

	/** Stops the app server: the origin no longer answers, as when the phone is offline. */
	async stopApp(): Promise<void> {
		for (const stop of this.appStops) {
			await stop();
		}
		this.appStops = [];
	}

	/** Writes a screenshot of the browser to reports/webkit/<name>.png, for a failed test. */
	async screenshot(name: string): Promise<string | null> {
		if (!this.page) {
			return null;
		}
		const folder = join(root, 'reports', 'webkit');
		mkdirSync(folder, { recursive: true });
		const file = join(folder, `${name.replace(/[^\w-]+/g, '-')}.png`);
		writeFileSync(file, await this.page.session.screenshot());
		return file;
	}

	/** A folder for the test's own files, removed with the run. */
	get tempDir(): string {
		return this.scratch;
	}

	/** Stops everything it started, in reverse order. */
	async stop(): Promise<void> {
		await this.closeBrowser().catch(() => {});
		await this.stopApp();
		for (const stop of this.stops.reverse()) {
			await stop();
		}
		rmSync(this.scratch, { recursive: true, force: true });
	}
}

/** XPath for text, quoted whatever quotes it holds. */
export function literal(text: string): string {
	if (!text.includes("'")) {
		return `'${text}'`;
	}
	if (!text.includes('"')) {
		return `"${text}"`;
	}
	return `concat(${text
		.split("'")
		.map((part) => `'${part}'`)
		.join(`, "'", `)})`;
}

/** XPath locators by what a patient sees: a link's or button's words, a field's label. */
export const by = {
	link: (name: string) => `//a[normalize-space(.)=${literal(name)}]`,
	button: (name: string) => `//button[normalize-space(.)=${literal(name)}]`,
	heading: (level: number) => `//h${level}`,
	/** The input, select or textarea a label names (by `for`, or wrapped in it). */
	field: (label: string) =>
		`//*[@id=//label[normalize-space(.)=${literal(label)}]/@for] | //label[normalize-space(.)=${literal(label)}]//*[self::input or self::select or self::textarea]`,
	/** A radio button or checkbox with its label, inside the fieldset whose legend is `group`. */
	choice: (group: string, label: string) =>
		`//fieldset[legend[normalize-space(.)=${literal(group)}]]//label[normalize-space(.)=${literal(label)}]`,
	image: (alt: string) => `//img[@alt=${literal(alt)}]`,
	imageStartingWith: (alt: string) => `//img[starts-with(@alt, ${literal(alt)})]`
};
