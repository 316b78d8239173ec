// Cases for the error guard (../fixtures.ts), each a tiny page, run by ../error-guard.spec.ts,
// which checks how each one ends. Several are meant to fail: this file is no part of the suite.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures';

/**
 * A button that does what "Edit today's check-in" did: structuredClone of a proxy (Svelte's
 * $state), which throws DataCloneError. `caught` logs it with console.error instead, as the
 * app's notices do.
 */
const checkInButton = (caught: boolean) => `
	<button onclick="${
		caught
			? 'try { structuredClone(new Proxy({ date: 1 }, {})) } catch (error) { console.error(error) }'
			: 'structuredClone(new Proxy({ date: 1 }, {}))'
	}">Edit today’s check-in</button>`;

test('an uncaught DataCloneError fails the test', async ({ page }) => {
	await page.setContent(checkInButton(false));
	await page.getByRole('button', { name: 'Edit today’s check-in' }).click();
	await expect(page.getByRole('button')).toBeVisible();
});

test('a DataCloneError logged with console.error fails the test', async ({ page }) => {
	await page.setContent(checkInButton(true));
	await page.getByRole('button', { name: 'Edit today’s check-in' }).click();
	await expect(page.getByRole('button')).toBeVisible();
});

test('an error the test declares passes', async ({ page, expectPageError }) => {
	expectPageError(/^DataCloneError: /, 'the case provokes it');
	await page.setContent(checkInButton(false));
	await page.getByRole('button', { name: 'Edit today’s check-in' }).click();
	await expect(page.getByRole('button')).toBeVisible();
});

test('a declared error that never comes fails the test', async ({ page, expectConsoleError }) => {
	expectConsoleError(/^DataCloneError: /, 'the case declares it and provokes nothing');
	await page.setContent(checkInButton(false));
});

test('console.log, console.warn and a caught error pass', async ({ page }) => {
	await page.setContent(
		'<script>console.log("log"); console.warn("warn"); try { JSON.parse("{") } catch {}</script>'
	);
});

test('a page the test opens itself is watched', async ({ browser }) => {
	const page = await browser.newPage();
	await page.setContent(checkInButton(false));
	await page.getByRole('button', { name: 'Edit today’s check-in' }).click();
	await expect(page.getByRole('button')).toBeVisible();
	await page.close();
});

test.describe('pages and a service worker of a server', () => {
	let server: Server;
	let origin = '';

	test.beforeAll(async () => {
		const files: Record<string, [string, string]> = {
			// A page whose policy forbids inline styles, with one in its markup, and an image from
			// a data: URL, which the policy does not allow, added by its script.
			'/strict': [
				'text/html',
				`<p style="color: red">styled</p>
				<script src="/strict.js"></script>`
			],
			'/strict.js': [
				'text/javascript',
				`const image = new Image();
				image.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
				document.body.append(image, 'loaded');`
			],
			'/': [
				'text/html',
				`<script>
					navigator.serviceWorker.register('/sw.js');
					navigator.serviceWorker.ready.then(() => document.body.append('ready'));
				</script>`
			],
			'/sw.js': [
				'text/javascript',
				`self.addEventListener('message', () => {
					console.error('the worker logged an error');
					throw new Error('the worker broke');
				});`
			],
			'/favicon.ico': ['image/x-icon', '']
		};
		server = createServer((request, response) => {
			const [type, body] = files[request.url ?? ''] ?? ['text/plain', ''];
			if (request.url?.startsWith('/strict')) {
				response.setHeader('content-security-policy', "default-src 'self'");
			}
			response.writeHead(request.url! in files ? 200 : 404, { 'content-type': type }).end(body);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	test.afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});

	test('a Content-Security-Policy violation fails the test', async ({ page }) => {
		await page.goto(`${origin}/strict`);
		await expect(page.locator('body')).toContainText('loaded');
	});

	test('whose uncaught error and console.error fail the test', async ({ page }) => {
		await page.goto(`${origin}/`);
		await expect(page.locator('body')).toContainText('ready');
		// Once the guard watches the worker (it asks the worker itself), the page makes it fail.
		const [worker] = page.context().serviceWorkers();
		await expect.poll(() => worker!.evaluate(() => 'e2eErrorsWatched' in self)).toBe(true);
		await page.evaluate(async () =>
			(await navigator.serviceWorker.ready).active!.postMessage('break')
		);
		await expect.poll(() => worker!.evaluate(() => 'the worker ran its handler')).toBeTruthy();
	});
});
