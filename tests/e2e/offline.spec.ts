import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { startBuilt } from '../support/built-process.js';
import { freePort } from '../integration/helpers';
import { berlin, controlled, onboard } from './helpers';

test.describe('offline', () => {
	test('the service worker takes control, and with no connection the app starts, shows the plan and saves a check-in', async ({
		page,
		context,
		expectConsoleError
	}) => {
		// Each start asks the server for the protocol first; offline, Chromium logs the failure.
		expectConsoleError(
			/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED \(http:[^ ]+\/api\/protocol(\?id=[\w-]+)?\)$/,
			'the app starts offline'
		);
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await controlled(page);
		expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(
			/\/service-worker\.js$/
		);

		await context.setOffline(true);
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Day 1 of recovery');
		await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
		await expect(
			page
				.getByRole('region', { name: 'All day today' })
				.getByRole('checkbox', { name: 'Stay out of the sun' })
		).toBeVisible();

		// A deep link opens offline too, and a check-in with a photo is saved.
		await page.goto('/diary/check-in');
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel('Mild').check();
		const photo = await page.evaluate(async () => {
			const canvas = new OffscreenCanvas(800, 600);
			canvas.getContext('2d')!.fillRect(0, 0, 400, 300);
			const blob = await canvas.convertToBlob({ type: 'image/jpeg' });
			return [...new Uint8Array(await blob.arrayBuffer())];
		});
		await page.getByLabel('Choose from gallery').setInputFiles({
			name: 'offline.jpg',
			mimeType: 'image/jpeg',
			buffer: Buffer.from(photo)
		});
		await expect(page.getByRole('img', { name: /New photo/ })).toBeVisible();
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.locator('[data-entry]').first()).toContainText('Redness: Mild');

		for (const path of ['/timeline', '/summary']) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		}
		await page.reload();
		await page.goto('/diary');
		await expect(page.locator('[data-entry]').first().getByRole('img')).toBeVisible();
	});

	test('API answers are never cached', async ({ page, context, expectConsoleError }) => {
		expectConsoleError(
			/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED \(http:[^ ]+\/api\/protocol(\?id=[\w-]+)?\)$/,
			'the test fetches the protocol offline, to see that no cache answers'
		);
		await onboard(page, { date: '2030-01-10' });
		await controlled(page);
		const cached = await page.evaluate(async () => {
			await fetch('/api/protocol');
			const keys = await Promise.all(
				(await caches.keys()).map(async (name) => (await caches.open(name)).keys())
			);
			return keys.flat().map((request) => new URL(request.url).pathname);
		});
		expect(cached).toContain('/');
		expect(cached.some((path) => path.startsWith('/api/'))).toBe(false);
		await context.setOffline(true);
		const offlineApi = await page.evaluate(() =>
			fetch('/api/protocol').then(
				() => 'answered',
				() => 'failed'
			)
		);
		expect(offlineApi).toBe('failed');
	});
});

test.describe('updates', () => {
	let server: Awaited<ReturnType<typeof startBuilt>> | undefined;
	let port = 0;

	/** Serves a copy of the build, as a deployment would, once it listens; on one port per test. */
	async function serve(dir: string): Promise<void> {
		port ||= await freePort();
		server = await startBuilt(dir, {
			env: { PORT: String(port), HOST: '127.0.0.1' },
			ready: 'Listening on'
		});
	}

	test.afterEach(async () => {
		await server?.stop();
		port = 0;
	});

	test('a new build shows "A new version is ready", and Reload switches to it', async ({
		page
	}) => {
		// Two deployments of the app: the second differs in its build version, as a new build does.
		// Inside the project, so that the copies find node_modules like the build does.
		mkdirSync('.e2e-builds', { recursive: true });
		const root = mkdtempSync(join('.e2e-builds', 'update-'));
		const first = join(root, 'first');
		const second = join(root, 'second');
		cpSync('build', first, { recursive: true });
		cpSync('build', second, { recursive: true });
		const { version } = JSON.parse(
			readFileSync(join(first, 'client/_app/version.json'), 'utf8')
		) as { version: string };
		const workerFile = join(second, 'client/service-worker.js');
		const worker = readFileSync(workerFile, 'utf8');
		expect(worker).toContain(version);
		writeFileSync(workerFile, worker.replaceAll(version, `${version}-next`));
		// adapter-node would otherwise serve the precompressed copies of the old worker.
		rmSync(`${workerFile}.br`);
		rmSync(`${workerFile}.gz`);

		await serve(first);
		const base = `http://127.0.0.1:${port}`;
		await onboard(page, { date: '2030-01-10', base });
		await controlled(page);
		const cachesBefore = await page.evaluate(() => caches.keys());
		expect(cachesBefore).toEqual([`aftercare-${version}`]);
		await expect(page.getByRole('region', { name: 'App update' })).toHaveCount(0);

		// The old one gone first: the new one takes its port, and no answer comes from the old.
		await server?.stop();
		await serve(second);
		await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
		const prompt = page.getByRole('region', { name: 'App update' });
		await expect(prompt).toContainText('A new version is ready.');
		// The app opened again while the new version waits (a page the old worker controls from its
		// start) offers it too.
		const again = await page.context().newPage();
		await again.goto(`${base}/`);
		await expect(again.getByRole('heading', { level: 1 })).toBeVisible();
		await expect(again.getByRole('region', { name: 'App update' })).toContainText(
			'A new version is ready.'
		);
		await again.close();

		await Promise.all([
			page.waitForEvent('load'),
			prompt.getByRole('button', { name: 'Reload' }).click()
		]);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expect
			.poll(() => page.evaluate(() => caches.keys()))
			.toEqual([`aftercare-${version}-next`]);
		await expect(page.getByRole('region', { name: 'App update' })).toHaveCount(0);
	});
});
