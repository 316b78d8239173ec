// Every word a patient reads comes from the catalogue: in the pseudo-locale build
// (`npm run build:pseudo`, scripts/pseudo-locale.js) every message reads ⟦…⟧, and so does every
// text of the clinic's protocol here (a translation made for the test). A patient walks the app by
// tapping, and on each screen every visible text, accessible name and title must be wrapped: a
// string written into a component in English fails this test, with where it is.
import { existsSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { pseudoText } from '../../scripts/pseudo-locale.js';
import { parseProtocol } from '../../src/lib/domain/protocol';
import { protocolTexts } from '../../src/lib/domain/protocol-translation';
import {
	defaultProtocolJson,
	protocolDir,
	startServerWith,
	type ClinicServer
} from './clinic-server';
import { expect, test } from './fixtures';
import { berlin } from './helpers';
import { expectEveryTextTranslated } from './i18n';

const build = '.e2e-builds/pseudo';
const locale = 'en-XA';
/** What the patient types: their own words, not the app's. */
const note = 'A bit tight this morning.';

/** The default protocol with every text "translated" into the pseudo-locale. */
function pseudoProtocol() {
	const protocol = defaultProtocolJson();
	const parsed = parseProtocol(protocol);
	if (!parsed.ok) {
		throw new Error('the default protocol does not parse');
	}
	protocol.translations = {
		...protocol.translations,
		[locale]: Object.fromEntries(
			protocolTexts(parsed.protocol).map(({ path, text }) => [path, pseudoText(text)])
		)
	};
	return protocol;
}

/** A name as the pseudo-locale writes it, for finding a control as a patient would. */
const wrapped = (english: string) =>
	new RegExp(`⟦${english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}⟧`);

test.describe.configure({ timeout: 240_000 });

let server: ClinicServer;

test.beforeAll(() => {
	// Under CI a missing build fails; it is never skipped.
	expect(existsSync(`${build}/index.js`), `no ${build}: run \`npm run build:pseudo\``).toBe(true);
});

test.beforeEach(async ({ browser }, testInfo) => {
	const protocol = pseudoProtocol();
	server = await startServerWith(
		browser,
		testInfo,
		{ PROTOCOL_DIR: protocolDir([protocol]), DEFAULT_PROTOCOL: protocol.id },
		{},
		build
	);
	await server.page.addInitScript((tag) => localStorage.setItem('aftercare.language', tag), locale);
});

test.afterEach(async () => {
	await server.close();
});

async function check(page: Page, screen: string) {
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	await expectEveryTextTranslated(page, screen, [note]);
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const nav = (page: Page, name: string) =>
	page
		.getByRole('navigation', { name: wrapped('Main') })
		.getByRole('link', { name: wrapped(name) });

test('every screen a patient reaches by tapping speaks only from the catalogue', async () => {
	const { page } = server;
	await page.clock.install({ time: berlin('2026-12-10T09:00') });

	// A new visitor: welcome, the clinic's code, then the plan's three steps.
	await page.goto('/');
	await expect(page).toHaveURL(/\/welcome$/);
	await expect(heading(page)).toHaveText(wrapped('Your microneedling care plan'));
	await check(page, 'welcome');
	await page.getByRole('link', { name: /Language:/ }).click();
	await expect(page).toHaveURL(/\/welcome\/language$/);
	await check(page, 'language');
	await page.getByRole('link', { name: wrapped('Done') }).click();
	await expect(page).toHaveURL(/\/welcome$/);
	await page.getByRole('link', { name: wrapped('Have a code from your clinic?') }).click();
	await expect(page).toHaveURL(/\/enrol/);
	await check(page, 'enrolment');
	await page.goBack();
	await page.getByRole('link', { name: wrapped('Restore from a backup') }).click();
	await expect(page).toHaveURL(/\/welcome\/restore$/);
	await check(page, 'restore');
	await page.goBack();

	await page.getByRole('link', { name: wrapped('Build my plan') }).click();
	await expect(page).toHaveURL(/\/welcome\/plan$/);
	// Next with nothing filled in: the error summary and each field's error, too.
	await page.getByRole('button', { name: wrapped('Next') }).click();
	await check(page, 'onboarding step 1 with errors');
	await page.getByLabel(wrapped('Treatment date')).fill('2026-12-14');
	await page.getByLabel(wrapped('Appointment time')).fill('10:00');
	await page.getByRole('button', { name: wrapped('Next') }).click();
	await expect(page.getByRole('heading', { name: /Step 2 of 3/ })).toBeFocused();
	for (const question of await page.locator('fieldset.question').all()) {
		await question.getByLabel(wrapped('No')).check();
	}
	await check(page, 'onboarding step 2');
	await page.getByRole('button', { name: wrapped('Next') }).click();
	await expect(page.getByRole('heading', { name: /Step 3 of 3/ })).toBeFocused();
	await check(page, 'onboarding step 3');
	await page.getByRole('button', { name: wrapped('Show my plan') }).click();
	await expect(page).toHaveURL(/\/$/);
	await check(page, 'Today, before the treatment');

	// The main screens, by the navigation.
	for (const [name, path] of [
		['Timeline', '/timeline'],
		['Treatment', '/treatment'],
		['Diary', '/diary']
	] as const) {
		await nav(page, name).click();
		await expect(page).toHaveURL(new RegExp(`${path}$`));
		await expect(heading(page)).toBeVisible();
		await check(page, name);
	}

	// After the treatment: Today in recovery, a check-in, the diary and the summary.
	await page.clock.setSystemTime(berlin('2026-12-15T12:00'));
	await nav(page, 'Today').click();
	await page.reload();
	await expect(heading(page)).toBeVisible();
	await check(page, 'Today, day 1 of recovery');
	const checkIn = page.getByRole('link', { name: /How is your skin today/ });
	await expect(checkIn).toBeVisible();
	await checkIn.click();
	await expect(page).toHaveURL(/\/diary\/check-in/);
	await check(page, 'check-in');
	await page.getByLabel(wrapped('Note')).fill(note);
	await page.getByRole('button', { name: wrapped('Save check-in') }).click();
	await expect(page).toHaveURL(/entry=/);
	await check(page, 'diary with an entry');
	await page.getByRole('link', { name: wrapped('Follow-up summary') }).click();
	await expect(page).toHaveURL(/\/summary$/);
	await check(page, 'summary');

	// Settings and each of its sections.
	await nav(page, 'Settings').click();
	await expect(heading(page)).toHaveText(wrapped('Settings'));
	await check(page, 'Settings');
	for (const section of [
		'Reminders',
		'My treatment and answers',
		'Clinic',
		'Backup and data',
		'App'
	]) {
		await page.getByRole('link', { name: wrapped(section) }).click();
		await expect(heading(page)).toHaveText(wrapped(section));
		await check(page, `Settings, ${section}`);
		await page.getByRole('link', { name: wrapped('Back to Settings') }).click();
	}

	// The clinic's own page, as staff open it.
	await page.goto('/clinic');
	await expect(heading(page)).toBeVisible();
	await check(page, 'clinic page');
});
