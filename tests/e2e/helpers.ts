import AxeBuilder from '@axe-core/playwright';
import {
	expect,
	type BrowserContext,
	type Locator,
	type Page,
	type Request,
	type Worker
} from '@playwright/test';

/** A wall-clock instant in Berlin, the zone the browser context runs in. */
export function berlin(dateTime: string): Date {
	const date = new Date(`${dateTime}:00+01:00`);
	if (Number.isNaN(date.getTime())) {
		throw new Error(`bad instant ${dateTime}`);
	}
	return date;
}

/**
 * Completes onboarding as a patient would, step by step: the treatment (in the phone's zone), every
 * screening question answered, and the reminder times left at their defaults.
 */
export async function onboard(
	page: Page,
	{
		date,
		time = '10:00',
		yesTo = [],
		base = ''
	}: { date: string; time?: string; yesTo?: string[]; base?: string }
): Promise<void> {
	await page.goto(`${base}/`);
	await expect(page).toHaveURL(/\/welcome$/);
	await page.getByRole('link', { name: 'Build my plan' }).click();
	await expect(page).toHaveURL(/\/welcome\/plan$/);
	await page.getByLabel('Treatment date').fill(date);
	await page.getByLabel('Appointment time').fill(time);
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('heading', { name: /^Step 2 of 3/ })).toBeFocused();
	const questions = page.locator('fieldset.question');
	for (const question of await questions.all()) {
		const text = (await question.locator('legend').textContent()) ?? '';
		const answer = yesTo.some((words) => text.includes(words)) ? 'Yes' : 'No';
		await question.getByLabel(answer, { exact: true }).check();
	}
	await page.getByRole('button', { name: 'Next' }).click();
	await expect(page.getByRole('heading', { name: /^Step 3 of 3/ })).toBeFocused();
	await page.getByRole('button', { name: 'Show my plan' }).click();
	await expect(page).toHaveURL(/\/$/);
}

/** Fails with the list of violations when axe finds any at WCAG 2.2 AA. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
		.analyze();
	expect(
		results.violations.map((violation) => ({
			id: violation.id,
			help: violation.help,
			targets: violation.nodes.map((node) => node.target.join(' '))
		}))
	).toEqual([]);
}

/** Waits until the service worker controls the page. */
export async function controlled(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (!navigator.serviceWorker.controller) {
			await new Promise((resolve) =>
				navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
			);
		}
	});
}

export interface MirrorRecord {
	id: string;
	occurrenceId: string;
	taskId: string;
	at: number;
	title: string;
	body: string;
	snoozedUntil?: number;
}

/** How many of the app's notifications are showing; run in the page. */
export async function shownCount(): Promise<number> {
	const registration = await navigator.serviceWorker.ready;
	return (await registration.getNotifications()).length;
}

/** The reminders mirror the page wrote for its service worker. */
export function mirror(page: Page): Promise<MirrorRecord[]> {
	return page.evaluate(
		() =>
			new Promise<MirrorRecord[]>((resolve, reject) => {
				const open = indexedDB.open('aftercare-companion');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					const request = db.transaction('reminders').objectStore('reminders').getAll();
					request.onsuccess = () => {
						db.close();
						resolve(request.result as MirrorRecord[]);
					};
					request.onerror = () => reject(request.error);
				};
			})
	);
}

/**
 * Counts, inside the app's service workers, the notifications each has finished showing. The
 * wrapper only observes: it calls the real `showNotification` and counts once it resolves.
 *
 * Why not `getNotifications()`: Chromium can drop a notification from that list for good when the
 * call comes while the notification is being shown. Polling every 2 ms from delivery lost it in 7
 * of 40 runs; after the show had resolved, 0 of 60. Tests read the list only after this count.
 * @returns reads the count; throws when a worker restarted, as the count went with it
 */
async function countShownNotifications(context: BrowserContext): Promise<() => Promise<number>> {
	type Counted = { registration: ServiceWorkerRegistration; notificationsShown?: number };
	const workers = context.serviceWorkers();
	if (workers.length === 0) {
		throw new Error('no service worker to deliver a push to');
	}
	await Promise.all(
		workers.map((worker) =>
			worker.evaluate(() => {
				const sw = self as unknown as Counted;
				if (sw.notificationsShown !== undefined) {
					return;
				}
				sw.notificationsShown = 0;
				const show = sw.registration.showNotification.bind(sw.registration);
				sw.registration.showNotification = async (...args) => {
					await show(...args);
					sw.notificationsShown! += 1;
				};
			})
		)
	);
	return async () => {
		const counts = await Promise.all(
			workers.map((worker) =>
				worker.evaluate(() => (self as unknown as Counted).notificationsShown)
			)
		);
		if (counts.includes(undefined)) {
			throw new Error('the service worker restarted: its count of notifications is lost');
		}
		return counts.reduce((sum: number, count) => sum + count!, 0);
	};
}

/**
 * Delivers a push message to the app's service worker through the DevTools protocol, as a push
 * service would (see ../shared/TOOLCHAIN.md), and waits until the worker has shown its
 * notification. The 30 s cover `showNotification` loading the icon and badge on a loaded CI.
 */
export async function deliverPush(
	context: BrowserContext,
	page: Page,
	data: unknown
): Promise<void> {
	const shown = await countShownNotifications(context);
	const before = await shown();
	const cdp = await context.newCDPSession(page);
	const origin = new URL(page.url()).origin;
	const registrationId = new Promise<string>((resolve) => {
		cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
			const ours = registrations.find(
				(registration) => registration.scopeURL === `${origin}/` && !registration.isDeleted
			);
			if (ours) {
				resolve(ours.registrationId);
			}
		});
	});
	await cdp.send('ServiceWorker.enable');
	await cdp.send('ServiceWorker.deliverPushMessage', {
		origin,
		registrationId: await registrationId,
		data: JSON.stringify(data)
	});
	await expect
		.poll(shown, { timeout: 30_000, message: 'the service worker showed a notification' })
		.toBeGreaterThan(before);
	await cdp.detach();
}

/**
 * Records what the app's service worker does from now on: its console, its errors, its requests
 * and its starts and stops. A test that waits on the worker prints this when it fails, so that a
 * failure on a CI machine says where the worker stopped.
 * @returns `text()`, every line so far, each with the milliseconds since the call
 */
export async function watchServiceWorker(
	context: BrowserContext,
	page: Page
): Promise<{ text(): string }> {
	const started = Date.now();
	const lines: string[] = [];
	const note = (line: string) => lines.push(`[${Date.now() - started} ms] ${line}`);
	const watch = (worker: Worker) => {
		note(`worker ${worker.url()}`);
		worker.on('console', (message) => note(`console.${message.type()}: ${message.text()}`));
		worker.on('close', () => note('worker closed'));
	};
	context.serviceWorkers().forEach(watch);
	context.on('serviceworker', watch);
	// The precache's hundred script and style requests would bury the rest.
	const noted = (request: Request) =>
		request.serviceWorker() !== null && !request.url().includes('/_app/immutable/');
	context.on('request', (request) => {
		if (noted(request)) {
			note(`request ${request.method()} ${request.url()}`);
		}
	});
	context.on('requestfinished', (request) => {
		if (noted(request)) {
			// After the test the context is gone and the answer with it: nothing left to note.
			void request.response().then(
				(response) => note(`answered ${response?.status()} ${request.url()}`),
				() => {}
			);
		}
	});
	context.on('requestfailed', (request) => {
		if (request.serviceWorker() !== null) {
			note(`failed ${request.url()}: ${request.failure()?.errorText}`);
		}
	});
	const cdp = await context.newCDPSession(page);
	cdp.on('ServiceWorker.workerErrorReported', ({ errorMessage }) =>
		note(
			`error: ${errorMessage.errorMessage} (${errorMessage.sourceURL}:${errorMessage.lineNumber})`
		)
	);
	cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
		for (const version of versions) {
			note(`version ${version.versionId}: ${version.status}, ${version.runningStatus}`);
		}
	});
	await cdp.send('ServiceWorker.enable');
	return { text: () => lines.join('\n') };
}

/** A JPEG of one colour, made in the browser, as a phone's gallery would give it. */
export async function jpegOfColour(page: Page, colour: string): Promise<Buffer> {
	const bytes = await page.evaluate(async (fill) => {
		const canvas = new OffscreenCanvas(800, 600);
		const context = canvas.getContext('2d')!;
		context.fillStyle = fill;
		context.fillRect(0, 0, 800, 600);
		const blob = await canvas.convertToBlob({ type: 'image/jpeg' });
		return [...new Uint8Array(await blob.arrayBuffer())];
	}, colour);
	return Buffer.from(bytes);
}

/** How many dots a symptom chart draws: each is one `M` of its dots paths. */
export async function dotCount(chart: Locator): Promise<number> {
	const paths = await chart
		.locator('path.dots')
		.evaluateAll((elements) => elements.map((element) => element.getAttribute('d') ?? ''));
	return paths.reduce((sum, d) => sum + (d.match(/M/g)?.length ?? 0), 0);
}

interface ExpectedErrors {
	expectConsoleError(pattern: RegExp, why: string): void;
	expectPageError(pattern: RegExp, why: string): void;
}

/**
 * A first start that cannot reach the server: the protocol request is cut, and the errors that
 * brings are expected. Then the app opens at `/`.
 */
export async function startWithoutServer(page: Page, expected: ExpectedErrors): Promise<void> {
	expected.expectConsoleError(
		/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED \(http:[^ ]+\/api\/protocol(\?id=[a-z0-9-]+)?\)$/,
		'the test cuts the protocol request; Chromium logs every failed request'
	);
	// TODO(defect): the root layout throws error(503) when it has no protocol, and SvelteKit, unable
	// to render its error page under a failed root layout, shows its bare static page ("503" and
	// the message, unstyled) and rethrows the HttpError uncaught (a minified class name).
	expected.expectPageError(
		/^a thrown value that is not an Error, described as "\w+"$/,
		'SvelteKit rethrows the root layout’s HttpError after showing its static error page'
	);
	await page.route(/\/api\/protocol(\?|$)/, (route) => route.abort('internetdisconnected'));
	await page.goto('/');
}
