// A clinic's own deployment for a browser test: the build, serving the default protocol with the
// clinic's contact details, logo and colour (PROTOCOL_FILE, the logo file beside it), on a port of
// its own, and a browser context on it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page, TestInfo } from '@playwright/test';
import { startBuilt } from '../support/built-process.js';
import { freePort } from '../integration/helpers';

/** What a clinic writes in its protocol's `clinic`, with its logo's file. */
export interface ClinicSetup {
	name?: string;
	phone?: string;
	website?: string;
	email?: string;
	/** `#rrggbb` */
	accent?: string;
	/** The logo, written beside the protocol file as `fileName` (the protocol's `clinic.logo`). */
	logo?: { fileName: string; content: string | Uint8Array };
}

/** A clinic that gives its phone number and no website. */
export const riverside = {
	name: 'Riverside Skin Clinic',
	phone: '+44 20 7946 0000',
	website: ''
} satisfies ClinicSetup;

export interface ClinicServer {
	/** A page in a new context of the test's project options, `options` over them. */
	page: Page;
	/** Where the server listens, e.g. `http://127.0.0.1:4321`. */
	origin: string;
	/** Closes the context and stops the server. */
	close(): Promise<void>;
}

/** The default protocol's JSON, to change for a test. */
export function defaultProtocolJson() {
	return JSON.parse(readFileSync('src/lib/domain/protocols/microneedling.json', 'utf8'));
}

/** A folder for PROTOCOL_DIR: one file per protocol, named after its id. */
export function protocolDir(protocols: { id: string }[]): string {
	const dir = mkdtempSync(join(tmpdir(), 'aftercare-protocols-'));
	for (const protocol of protocols) {
		writeFileSync(join(dir, `${protocol.id}.json`), JSON.stringify(protocol));
	}
	return dir;
}

/**
 * Starts the build with `env` (HOST and PORT set here) and opens a page on it.
 * @param build the build's folder: `build`, or a test build such as `.e2e-builds/pseudo`
 * @throws Error with the server's output when it refuses to start
 */
export async function startServerWith(
	browser: Browser,
	testInfo: TestInfo,
	env: Record<string, string>,
	options: BrowserContextOptions = {},
	build = 'build'
): Promise<ClinicServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	const server = await startBuilt(build, {
		env: { HOST: '127.0.0.1', PORT: String(port), ...env },
		ready: 'Listening on'
	});
	const context = await browser.newContext({
		...testInfo.project.use,
		...options,
		baseURL: origin
	});
	return {
		page: await context.newPage(),
		origin,
		async close() {
			await context.close();
			await server.stop();
		}
	};
}

/**
 * Starts the build on the clinic's protocol, and opens a page on it.
 * @throws Error with the server's output when it refuses to start
 */
export async function startClinicServer(
	browser: Browser,
	testInfo: TestInfo,
	clinic: ClinicSetup = riverside,
	options: BrowserContextOptions = {}
): Promise<ClinicServer> {
	const protocol = defaultProtocolJson();
	const dir = mkdtempSync(join(tmpdir(), 'aftercare-'));
	const { logo, ...details } = clinic;
	protocol.clinic = { ...details, ...(logo ? { logo: logo.fileName } : {}) };
	if (logo) {
		writeFileSync(join(dir, logo.fileName), logo.content);
	}
	const file = join(dir, 'clinic.json');
	writeFileSync(file, JSON.stringify(protocol));
	return startServerWith(browser, testInfo, { PROTOCOL_FILE: file }, options);
}
