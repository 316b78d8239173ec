// A clinic's own deployment for a browser test: the build, serving the default protocol with the
// clinic's contact details (PROTOCOL_FILE), on a port of its own, and a browser context on it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page, TestInfo } from '@playwright/test';
import type { Clinic } from '../../src/lib/domain/protocol';
import { startBuilt } from '../support/built-process.js';
import { freePort } from '../integration/helpers';

/** A clinic that gives its phone number and no website. */
export const riverside: Clinic = {
	name: 'Riverside Skin Clinic',
	phone: '+44 20 7946 0000',
	website: ''
};

export interface ClinicServer {
	/** A page in a new context of the test's project options, `options` over them. */
	page: Page;
	/** Closes the context and stops the server. */
	close(): Promise<void>;
}

export async function startClinicServer(
	browser: Browser,
	testInfo: TestInfo,
	clinic: Clinic = riverside,
	options: BrowserContextOptions = {}
): Promise<ClinicServer> {
	const protocol = JSON.parse(readFileSync('src/lib/domain/protocols/microneedling.json', 'utf8'));
	protocol.clinic = clinic;
	const file = join(mkdtempSync(join(tmpdir(), 'aftercare-')), 'clinic.json');
	writeFileSync(file, JSON.stringify(protocol));
	const port = await freePort();
	const server = await startBuilt('build', {
		env: { HOST: '127.0.0.1', PORT: String(port), PROTOCOL_FILE: file },
		ready: 'Listening on'
	});
	const context = await browser.newContext({
		...testInfo.project.use,
		...options,
		baseURL: `http://127.0.0.1:${port}`
	});
	return {
		page: await context.newPage(),
		async close() {
			await context.close();
			await server.stop();
		}
	};
}
