// The core of a patient's month in WebKit, the engine of every browser on an iPhone: onboarding,
// the plan kept across a reload, the Timeline, a check-in with a photo, editing it, and starting
// offline. Once in a private session (MiniBrowser's, which keeps nothing, like Safari's Private
// Browsing) and once with storage kept on disk (a normal tab, or the app on the home screen).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { APT_PACKAGES, by, missingWebKit, WebKitRun, type Mode, type WebKitPage } from './harness';

const missing = missingWebKit();
// Outside CI a machine without WebKitGTK skips, saying so; under CI it fails (WebKitRun.start
// throws), because a skipped browser would hide what did not run.
const skip = missing !== null && !process.env.CI;
if (skip) {
	console.log(`WebKit tests skipped: ${missing}; apt-get install ${APT_PACKAGES}`);
}

/** A date in Berlin (the browser's zone) `daysAgo` days before today, as yyyy-mm-dd. */
function berlinDate(daysAgo: number): string {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
	const [year, month, day] = today.split('-').map(Number) as [number, number, number];
	return new Date(Date.UTC(year, month - 1, day - daysAgo)).toISOString().slice(0, 10);
}

/** How WebKit's en-GB date field takes a date typed into it: dd/mm/yyyy. */
function typedDate(date: string): string {
	const [year, month, day] = date.split('-');
	return `${day}/${month}/${year}`;
}

/** A JPEG made by the browser's own canvas, written to a file to choose in the photo input. */
async function photoFile(page: WebKitPage, folder: string): Promise<string> {
	const dataUrl = await page.evaluate<string>(`
		const canvas = document.createElement('canvas');
		canvas.width = 1200;
		canvas.height = 900;
		const context = canvas.getContext('2d');
		context.fillStyle = '#c77';
		context.fillRect(0, 0, 1200, 900);
		context.fillStyle = '#fff';
		context.fillRect(400, 250, 400, 400);
		return canvas.toDataURL('image/jpeg', 0.9);`);
	const file = join(folder, 'face.jpg');
	writeFileSync(file, Buffer.from(dataUrl.replace(/^data:image\/jpeg;base64,/, ''), 'base64'));
	return file;
}

/** Whether the image an `<img>` shows has loaded pixels. */
async function loadedImage(page: WebKitPage, xpath: string): Promise<void> {
	const image = await page.waitFor(xpath);
	await expect
		.poll(() => image.property<number>('naturalWidth'), { timeout: 15_000 })
		.toBeGreaterThan(0);
}

/** How IndexedDB holds each stored photo's image: as a 'Blob' or as 'bytes'. */
function storedPhotoForms(page: WebKitPage): Promise<string[]> {
	return page.evaluateAsync<string[]>(`
		const db = await new Promise((resolve, reject) => {
			const request = indexedDB.open('aftercare-companion');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const all = await new Promise((resolve, reject) => {
			const request = db.transaction('photoData').objectStore('photoData').getAll();
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		db.close();
		return all.map(({ image }) =>
			image instanceof Blob ? 'Blob' : image.bytes instanceof ArrayBuffer ? 'bytes' : typeof image
		);`);
}

/** Fails with the page's own errors when it recorded any. */
async function expectNoPageErrors(page: WebKitPage): Promise<void> {
	expect(await page.pageErrors()).toEqual([]);
}

/** Waits for the main heading to say `words` (a screen renders after its address changes). */
async function expectHeading(page: WebKitPage, words: string): Promise<void> {
	expect(await page.waitForText(by.heading(1), words)).toBe(words);
}

const yesterday = berlinDate(1);
const note = 'Feels tight, like a mild sunburn.';
const editedNote = 'Less tight this evening.';

describe.skipIf(skip).each<Mode>(['ephemeral', 'persistent'])('WebKit, %s storage', (mode) => {
	let run: WebKitRun;
	let page: WebKitPage;
	// A WebKit that cannot start fails every step with its reason (never a skip, which CI would
	// not count as a failure of its own).
	let startFailure: unknown = null;
	// The steps build on each other: after one fails, the rest say so instead of failing oddly.
	let failedStep: string | null = null;

	beforeAll(async () => {
		try {
			run = await WebKitRun.start(mode);
			page = await run.open();
		} catch (error) {
			startFailure = error;
		}
	}, 60_000);

	afterAll(async () => {
		await run?.stop();
	}, 30_000);

	/** One step of the story; a failure keeps a screenshot in reports/webkit/. */
	function step(name: string, body: () => Promise<void>): void {
		it(name, async ({ task }) => {
			if (startFailure) {
				throw startFailure;
			}
			expect(failedStep, 'an earlier step failed').toBeNull();
			onTestFailed(async () => {
				failedStep ??= name;
				const file = await run?.screenshot(`${mode}-${task.name}`).catch(() => null);
				if (file) {
					console.log(`screenshot: ${file}`);
				}
			});
			await body();
			await expectNoPageErrors(page);
		});
	}

	step('onboards through the plan form’s three steps, with a treatment yesterday', async () => {
		await page.goto('/');
		await page.waitForPath(/^\/welcome$/);
		await expectHeading(page, 'Your microneedling care plan');
		await page.tap(by.link('Build my plan'));
		await page.waitForPath(/^\/welcome\/plan$/);

		await page.fill(by.field('Treatment date'), typedDate(yesterday));
		expect(await (await page.waitFor(by.field('Treatment date'))).property('value')).toBe(
			yesterday
		);
		await page.tap(by.button('Next'));
		await page.waitForText('//h2', 'Step 2 of 3');
		const questions = await page.session.findAll("//fieldset[contains(@class, 'question')]");
		expect(questions.length).toBeGreaterThan(0);
		for (let index = 1; index <= questions.length; index++) {
			await page.tap(
				`(//fieldset[contains(@class, 'question')])[${index}]//label[normalize-space(.)='No']`
			);
		}
		await page.tap(by.button('Next'));
		await page.waitForText('//h2', 'Step 3 of 3');
		await page.tap(by.button('Show my plan'));
		await page.waitForPath(/^\/$/);
		await expectHeading(page, 'Day 1 of recovery');
	});

	step('keeps the plan across a reload', async () => {
		await page.reload();
		await expectHeading(page, 'Day 1 of recovery');
		expect(await page.path()).toBe('/');
		if (mode === 'persistent') {
			// Closed and opened again, as a patient does with the app on the home screen.
			await run.closeBrowser();
			page = await run.open();
			await page.goto('/');
			await expectHeading(page, 'Day 1 of recovery');
		}
	});

	step('opens the Timeline from the navigation', async () => {
		await page.tap(by.link('Timeline'));
		await page.waitForPath(/^\/timeline$/);
		await expectHeading(page, 'Your whole plan');
	});

	step('saves a check-in with a photo', async () => {
		await page.tap(by.link('Today'));
		await page.waitForPath(/^\/$/);
		await page.tap(by.link('How is your skin today? Check in'));
		await page.waitForPath(/^\/diary\/check-in$/);

		await page.tap(by.choice('Redness', 'Mild'));
		await page.fill(by.field('Note'), note);
		const gallery = (await page.session.findAll(`${by.field('Choose from gallery')}`))[0];
		expect(gallery, 'the gallery input').toBeDefined();
		await gallery!.type(await photoFile(page, run.tempDir));
		await loadedImage(page, by.image('New photo: Face'));

		await page.tap(by.button('Save check-in'));
		await page.waitForPath(/^\/diary\?entry=/);
		const card = '(//*[@data-entry])[1]';
		expect(await page.waitForText(card, note)).toContain('Redness: Mild');
		await loadedImage(page, `${card}${by.imageStartingWith('Photo: Face, ')}`);
		// A private session refuses Blobs in IndexedDB: there the app keeps the photo's bytes.
		expect(await storedPhotoForms(page)).toEqual([mode === 'ephemeral' ? 'bytes' : 'Blob']);
	});

	step('edits today’s check-in from Today’s main button', async () => {
		await page.tap(by.link('Today'));
		await page.waitForPath(/^\/$/);
		await page.tap(by.link('Edit today’s check-in'));
		await page.waitForPath(/^\/diary\/check-in$/);

		const noteField = await page.waitFor(by.field('Note'));
		expect(await noteField.property('value')).toBe(note);
		// Stored photos load as they scroll near.
		await page.scrollTo("//legend[normalize-space(.)='Photos']");
		await loadedImage(page, by.image('Saved photo: Face'));
		await page.fill(by.field('Note'), editedNote);
		await page.tap(by.button('Save check-in'));

		await page.waitForPath(/^\/diary\?entry=/);
		const cards = '//*[@data-entry]';
		await page.waitForText(`(${cards})[1]`, editedNote);
		expect(await page.session.findAll(cards)).toHaveLength(1);
		await loadedImage(page, `(${cards})[1]${by.imageStartingWith('Photo: Face, ')}`);
	});

	step('starts offline once its service worker controls the page', async () => {
		const controlled = await page.evaluateAsync<boolean>(`
			await navigator.serviceWorker.ready;
			if (!navigator.serviceWorker.controller) {
				await new Promise((resolve) =>
					navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
				);
			}
			return navigator.serviceWorker.controller !== null;`);
		expect(controlled).toBe(true);
		await expectNoPageErrors(page);

		await run.stopApp();
		expect(
			await fetch(run.origin).then(
				() => 'answered',
				() => 'unreachable'
			)
		).toBe('unreachable');
		await page.reload();
		await expectHeading(page, 'Your diary');
		await page.waitForText('(//*[@data-entry])[1]', editedNote);
		await loadedImage(page, `(//*[@data-entry])[1]${by.imageStartingWith('Photo: Face, ')}`);
		await page.tap(by.link('Today'));
		await page.waitForPath(/^\/$/);
		await expectHeading(page, 'Day 1 of recovery');
	});
});
