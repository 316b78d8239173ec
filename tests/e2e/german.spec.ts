// A phone set to German, from onboarding to the follow-up summary: German words, German dates
// and 24-hour times, axe clean with the page's `lang`. Then the switch in Settings: English at
// once, no reload, and still English after a restart.
import { expect, test } from './fixtures';
import { berlin, expectNoAxeViolations, startWithoutServer } from './helpers';

test.use({ locale: 'de-DE' });
// Onboarding, a check-in and six axe runs on a shared, busy machine.
test.describe.configure({ timeout: 180_000 });

const heading = (page: import('@playwright/test').Page) => page.getByRole('heading', { level: 1 });
const nav = (page: import('@playwright/test').Page, name: string) =>
	page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name });

test('a German phone gets the app in German, from the welcome screen to the summary', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await page.goto('/');
	await expect(page).toHaveURL(/\/welcome$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'de-DE');
	await expectNoAxeViolations(page);

	await page.getByRole('link', { name: 'Meinen Plan erstellen' }).click();
	await page.getByLabel('Datum der Behandlung').fill('2026-12-14');
	await page.getByLabel('Uhrzeit des Termins').fill('14:30');
	await page.getByRole('button', { name: 'Weiter' }).click();
	await expect(page.getByRole('heading', { name: /^Schritt 2 von 3/ })).toBeFocused();
	for (const question of await page.locator('fieldset.question').all()) {
		await question.getByLabel('Nein', { exact: true }).check();
	}
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Weiter' }).click();
	await expect(page.getByRole('heading', { name: /^Schritt 3 von 3/ })).toBeFocused();
	await page.getByRole('button', { name: 'Meinen Plan anzeigen' }).click();
	await expect(page).toHaveURL(/\/$/);

	// Today before the treatment: German words, the date in German order, a 24-hour time.
	const main = page.locator('main');
	await expect(main).toContainText('Montag, 14. Dezember');
	await expect(main).toContainText('14:30');
	await expect(main).not.toContainText(/\b(AM|PM)\b/);
	await expectNoAxeViolations(page);

	await nav(page, 'Ablauf').click();
	await expect(page).toHaveURL(/\/timeline$/);
	await expect(main).toContainText(/Mo\., 14\. Dez\./);
	await expectNoAxeViolations(page);

	// The day after: recovery, a check-in, the diary and the summary.
	await page.clock.setSystemTime(berlin('2026-12-15T12:00'));
	await nav(page, 'Heute').click();
	await page.reload();
	await expect(heading(page)).toHaveText('Tag 1 der Erholung');
	await page.getByRole('link', { name: /Wie geht es Ihrer Haut heute/ }).click();
	await expect(page).toHaveURL(/\/diary\/check-in/);
	await page.getByLabel('Notiz').fill('Etwas gespannt heute Morgen.');
	await expectNoAxeViolations(page);
	await page.getByRole('button', { name: 'Eintrag speichern' }).click();
	await expect(page).toHaveURL(/entry=/);
	await expect(main).toContainText('Etwas gespannt heute Morgen.');
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Zusammenfassung für die Nachkontrolle' }).click();
	await expect(page).toHaveURL(/\/summary$/);
	await expect(main).toContainText('Montag, 14. Dezember 2026');
	await expectNoAxeViolations(page);
});

test('the language switch in Settings re-words the screen at once and is kept', async ({
	page
}) => {
	await page.clock.install({ time: berlin('2026-11-24T09:00') });
	await page.goto('/welcome');
	await expect(heading(page)).toBeVisible();
	// The welcome screen's own way: a German phone, a patient who reads English.
	await page.getByRole('link', { name: /Sprache: Deutsch/ }).click();
	await expect(page).toHaveURL(/\/welcome\/language$/);
	await page.getByRole('radio', { name: 'English', exact: true }).check();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(heading(page)).toHaveText('Language');
	await expectNoAxeViolations(page);
	await page.getByRole('link', { name: 'Done' }).click();
	await expect(page.getByRole('link', { name: 'Build my plan' })).toBeVisible();
	await page.getByRole('link', { name: /Language: English/ }).click();
	await page.getByRole('radio', { name: 'Deutsch', exact: true }).check();
	await page.getByRole('link', { name: 'Fertig' }).click();
	await expect(page.getByRole('link', { name: 'Meinen Plan erstellen' })).toBeVisible();

	await page.getByRole('link', { name: 'Meinen Plan erstellen' }).click();
	await page.getByLabel('Datum der Behandlung').fill('2026-12-14');
	await page.getByLabel('Uhrzeit des Termins').fill('09:00');
	await page.getByRole('button', { name: 'Weiter' }).click();
	for (const question of await page.locator('fieldset.question').all()) {
		await question.getByLabel('Nein', { exact: true }).check();
	}
	await page.getByRole('button', { name: 'Weiter' }).click();
	await page.getByRole('button', { name: 'Meinen Plan anzeigen' }).click();
	await expect(page).toHaveURL(/\/$/);

	await nav(page, 'Einstellungen').click();
	await page.getByRole('link', { name: 'App', exact: true }).click();
	await expect(heading(page)).toHaveText('App');
	await page.getByRole('radio', { name: 'English', exact: true }).check();
	// At once, with no reload: the heading, the navigation and the page's language.
	await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expectNoAxeViolations(page);
	await page.reload();
	await expect(page.getByRole('radio', { name: 'English', exact: true })).toBeChecked();
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' }).click();
	await expect(page.locator('main')).toContainText('9:00');
});

test('a first start without the server asks to connect once, in German', async ({
	page,
	expectConsoleError,
	expectPageError
}) => {
	await startWithoutServer(page, { expectConsoleError, expectPageError });
	await expect(page.getByText('Die App muss sich einmal verbinden')).toBeVisible();
});
