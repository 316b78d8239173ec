import type { BrowserContext, ConsoleMessage, WebError, Worker } from '@playwright/test';

/** What the service worker puts before an uncaught error it passes on to its console. */
const UNCAUGHT_IN_WORKER = '[e2e: uncaught in the service worker] ';

/** What a page or the service worker puts before a Content-Security-Policy violation it reports. */
const CSP_VIOLATION = '[e2e: CSP violation] ';

/**
 * Where an error came from: an uncaught exception, `console.error` (the browser's own too), or a
 * Content-Security-Policy violation, which no test may declare: the app must never cause one.
 */
export type ErrorKind = 'page error' | 'console error' | 'service worker error' | 'CSP violation';

/**
 * Runs in every page and the service worker: reports each `securitypolicyviolation` event on the
 * console, marked. Chromium also logs most violations itself ("Refused to …"), but not all of
 * them, and not always on a console Playwright hears.
 */
function reportViolations(marker: string): void {
	const scope = globalThis as unknown as { e2eViolationsWatched?: boolean } & EventTarget;
	if (scope.e2eViolationsWatched) {
		return;
	}
	scope.e2eViolationsWatched = true;
	scope.addEventListener(
		'securitypolicyviolation',
		(event) => {
			const { effectiveDirective, blockedURI, sourceFile, lineNumber, sample } =
				event as SecurityPolicyViolationEvent;
			const where = sourceFile ? ` (${sourceFile}:${lineNumber})` : '';
			const what = sample ? `, sample "${sample}"` : '';
			console.error(
				`${marker}${effectiveDirective} blocked ${blockedURI || 'inline'}${what}${where}`
			);
		},
		// Capture: the event is fired at the element, and the app must not be able to stop it.
		{ capture: true }
	);
}

/** One error seen in the browser, as the test failure will list it. */
export interface CaughtError {
	kind: ErrorKind;
	/** The error's own words, with the script or resource it names. */
	text: string;
	/** The page it happened on, or the service worker's script. */
	where: string;
}

/** An error a test provokes on purpose, and says so. */
interface Allowance {
	kind: ErrorKind;
	pattern: RegExp;
	why: string;
}

/** The page's path (and query), which says more in a failure than the whole URL. */
function placeOf(url: string | undefined): string {
	if (!url) {
		return 'an unknown page';
	}
	try {
		const parsed = new URL(url);
		return parsed.protocol.startsWith('http') ? parsed.pathname + parsed.search : url;
	} catch {
		return url;
	}
}

/**
 * Watches every page and service worker of the browser contexts it is given for uncaught errors
 * and `console.error` messages. A test that provokes an error declares it with `allow`; anything
 * else, and any declared error that never came, is a problem the fixture fails the test with.
 */
export class ErrorGuard {
	readonly #caught: CaughtError[] = [];
	readonly #allowances: Allowance[] = [];
	readonly #watched = new WeakSet<BrowserContext>();
	readonly #pending = new Set<Promise<unknown>>();

	/**
	 * Starts watching a context: its pages now and later, and its service workers. Resolves once
	 * pages opened from then on report their Content-Security-Policy violations.
	 */
	async watch(context: BrowserContext): Promise<void> {
		if (this.#watched.has(context)) {
			return;
		}
		this.#watched.add(context);
		// Both cover every page of the context and, for console messages, its service workers.
		context.on('weberror', (error: WebError) => this.#onPageError(error));
		context.on('console', (message: ConsoleMessage) => this.#onConsole(message));
		context.serviceWorkers().forEach((worker) => this.#watchServiceWorker(worker));
		context.on('serviceworker', (worker) => this.#watchServiceWorker(worker));
		await context.addInitScript(reportViolations, CSP_VIOLATION);
	}

	/**
	 * Declares an error the test provokes on purpose. It must then happen at least once: an
	 * allowance that matches nothing is stale and fails the test too.
	 * @param pattern matched against the error's text (for a console error, with the script or
	 *   resource URL that Chromium names after it)
	 * @param why a few words for the reader: why this error is expected
	 */
	allow(kind: Exclude<ErrorKind, 'CSP violation'>, pattern: RegExp, why: string): void {
		if (!why.trim()) {
			throw new Error('say why the error is expected');
		}
		this.#allowances.push({ kind, pattern, why });
	}

	#record(error: CaughtError): void {
		this.#caught.push(error);
	}

	/**
	 * What fails the test: each error no allowance covers, and each allowance never used.
	 * Waits for the service-worker watchers that were still starting.
	 */
	async problems(): Promise<string[]> {
		await Promise.allSettled(this.#pending);
		// `search` ignores a pattern's `g` flag, which would make `test` remember where it stopped.
		const covers = (allowance: Allowance, error: CaughtError) =>
			allowance.kind === error.kind && error.text.search(allowance.pattern) !== -1;
		const unexpected = this.#caught
			.filter((error) => !this.#allowances.some((allowance) => covers(allowance, error)))
			.map((error) => `${error.kind} on ${error.where}: ${error.text}`);
		const unused = this.#allowances
			.filter((allowance) => !this.#caught.some((error) => covers(allowance, error)))
			.map(
				(allowance) =>
					`expected ${allowance.kind} ${allowance.pattern} never happened (${allowance.why}): ` +
					'remove the allowance, or make the test provoke it again'
			);
		return [...unexpected, ...unused];
	}

	#onPageError(webError: WebError): void {
		const error = webError.error();
		const frame = error.stack?.split('\n').find((line) => line.trim().startsWith('at '));
		// A thrown value that is no Error reaches Playwright as its bare description.
		const what = error.name
			? `${error.name}: ${error.message}`
			: `a thrown value that is not an Error, described as "${error.message}"`;
		this.#record({
			kind: 'page error',
			text: `${what}${frame ? ` (${frame.trim()})` : ''}`,
			where: placeOf(webError.page()?.url())
		});
	}

	#onConsole(message: ConsoleMessage): void {
		if (message.type() !== 'error') {
			return;
		}
		const { url, lineNumber } = message.location();
		const source = url ? ` (${url}${lineNumber ? `:${lineNumber}` : ''})` : '';
		const worker = message.worker();
		const text = message.text();
		const where = worker
			? `service worker ${placeOf(worker.url())}`
			: placeOf(message.page()?.url());
		if (text.startsWith(CSP_VIOLATION)) {
			this.#record({ kind: 'CSP violation', text: text.slice(CSP_VIOLATION.length), where });
			return;
		}
		// Chromium's own words for a blocked load, script or style ("… violates the following
		// Content Security Policy directive …", once "Refused to …"): a violation, not an error.
		if (/Content Security Policy directive/.test(text)) {
			this.#record({ kind: 'CSP violation', text: `${text}${source}`, where });
			return;
		}
		const uncaught = worker !== null && text.startsWith(UNCAUGHT_IN_WORKER);
		this.#record({
			kind: uncaught ? 'service worker error' : 'console error',
			text: uncaught ? text.slice(UNCAUGHT_IN_WORKER.length) : `${text}${source}`,
			where
		});
	}

	/**
	 * Uncaught exceptions in a service worker reach no Playwright event, and Chromium's DevTools
	 * protocol reports them only with its ServiceWorker domain on, which changes what the page
	 * sees (a reload then reported online under `setOffline`). So the worker itself is asked to
	 * pass them on: its `error` and `unhandledrejection` events, marked, to its console. Errors
	 * before the worker's script has run are missed.
	 */
	#watchServiceWorker(worker: Worker): void {
		const violations = worker.evaluate(reportViolations, CSP_VIOLATION).catch(() => {
			// The worker stopped before it was asked: nothing of it to watch.
		});
		this.#pending.add(violations);
		const started = worker
			.evaluate((marker) => {
				const scope = self as unknown as { e2eErrorsWatched?: boolean } & EventTarget;
				if (scope.e2eErrorsWatched) {
					return;
				}
				scope.e2eErrorsWatched = true;
				scope.addEventListener('error', (event) => {
					const { message, filename, lineno } = event as ErrorEvent;
					// Chromium's message starts "Uncaught" already.
					console.error(`${marker}${message} (${filename}:${lineno})`);
				});
				scope.addEventListener('unhandledrejection', (event) => {
					const reason = (event as PromiseRejectionEvent).reason as unknown;
					const text =
						reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
					console.error(`${marker}Uncaught (in promise) ${text}`);
				});
			}, UNCAUGHT_IN_WORKER)
			.catch(() => {
				// The worker stopped before it was asked: nothing of it to watch.
			});
		this.#pending.add(started);
	}
}
