// The follow-up summary as the clinic reads it: a per-day table beside the charts, the clinic's
// contact and a line for the patient's name, on screen at phone size and printed; the CSV as
// Excel opens it (docs/decisions/0005-csv-for-excel.md).
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { startClinicServer } from './clinic-server';
import { expect, test } from './fixtures';
import { berlin, dotCount, expectNoAxeViolations, onboard } from './helpers';

/** Redness and swelling over the first week after a treatment on 14 December. */
const WEEK = [
	['2026-12-15', 'Severe', 'Moderate'],
	['2026-12-16', 'Moderate', 'Moderate'],
	['2026-12-17', 'Moderate', 'Mild'],
	['2026-12-18', 'Mild', 'Mild'],
	['2026-12-19', 'Mild', 'None'],
	['2026-12-20', 'Mild', 'None'],
	['2026-12-21', 'None', 'None']
] as const;

/** Onboards and checks in on each day of the week, then taps through to the summary. */
async function aWeekOfCheckIns(page: Page, base = ''): Promise<void> {
	// Seven check-ins through the form: slow on a shared 2-core machine.
	test.setTimeout(180_000);
	await page.clock.install({ time: berlin('2026-12-14T12:00') });
	await onboard(page, { date: '2026-12-14', base });
	for (const [date, redness, swelling] of WEEK) {
		await page.clock.setSystemTime(berlin(`${date}T19:00`));
		await page.goto(`${base}/diary/check-in`);
		await page.getByRole('group', { name: 'Redness', exact: true }).getByLabel(redness).check();
		await page.getByRole('group', { name: 'Swelling', exact: true }).getByLabel(swelling).check();
		if (date === '2026-12-16') {
			await page.getByLabel('Note').fill('Wange gerötet; "heiß", nachts gekühlt');
		}
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page).toHaveURL(/entry=/);
	}
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Diary' }).click();
	await page.getByRole('link', { name: 'Follow-up summary' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Follow-up summary');
}

async function bytesOf(download: Download): Promise<Buffer> {
	return readFileSync(await download.path());
}

test('a week of check-ins reads as a table, day by day, without the page scrolling sideways', async ({
	page
}) => {
	await aWeekOfCheckIns(page);
	const table = page.getByRole('table', {
		name: 'Worst level of each symptom on each day with a check-in'
	});
	await expect(table).toBeVisible();
	await expect(table.getByRole('columnheader')).toHaveText(['Date', 'Day', 'Redness', 'Swelling']);
	await expect(table.getByRole('row')).toHaveCount(1 + WEEK.length);
	const first = table.getByRole('row').nth(1);
	await expect(first.getByRole('rowheader')).toHaveText('Tue 15 Dec');
	await expect(first.getByRole('cell')).toHaveText(['1', 'Severe', 'Moderate']);
	await expect(table.getByRole('row').last().getByRole('cell')).toHaveText(['7', 'None', 'None']);
	// Charts beside it, drawn from the same days.
	expect(await dotCount(page.getByRole('img', { name: 'Redness' }))).toBe(7);

	// The table's region can take focus, so a keyboard can scroll it; the page itself never
	// scrolls sideways at 412 px.
	const region = page.getByRole('region', {
		name: 'Worst level of each symptom on each day with a check-in'
	});
	await region.focus();
	await expect(region).toBeFocused();
	const overflow = await page.evaluate(
		() => document.documentElement.scrollWidth - document.documentElement.clientWidth
	);
	expect(overflow).toBeLessThanOrEqual(0);

	// No clinic in the default protocol: lines to write on, and the name always by hand.
	const patient = page.getByRole('region', { name: 'Patient and clinic' });
	await expect(patient).toContainText('this app keeps no name');
	await expect(patient.getByText('left blank, to write by hand')).toHaveCount(3);
	await expectNoAxeViolations(page);

	// en-GB: commas by default, semicolons a tap away; both start with the UTF-8 BOM.
	let downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download CSV', exact: true }).click();
	const commas = await bytesOf(await downloading);
	expect([...commas.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(commas.subarray(3).toString('utf8')).toMatch(/^date,day,Redness,Swelling,/);

	downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download CSV with semicolons' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toBe('aftercare-diary-2026-12-14.csv');
	const semicolons = (await bytesOf(download)).toString('utf8');
	expect(semicolons).toMatch(/^\uFEFFdate;day;Redness;Swelling;/);
	expect(semicolons).toContain(';"Wange gerötet; ""heiß"", nachts gekühlt"\r\n');
});

// The app speaks German on a German phone, or when the patient picks it: the week is entered in
// English (the onboarding's and check-in's words are other specs' business), then the patient
// switches, as in Settings → App → Language.
test('in German, the CSV’s header is German and it uses semicolons, as German Excel expects; commas are a tap away', async ({
	page
}) => {
	await aWeekOfCheckIns(page);
	await page.evaluate(() => localStorage.setItem('aftercare.language', 'de'));
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Zusammenfassung für die Nachkontrolle'
	);
	let downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'CSV herunterladen', exact: true }).click();
	const semicolons = (await bytesOf(await downloading)).toString('utf8');
	expect(semicolons).toMatch(/^\uFEFFDatum;Tag;/);
	expect(semicolons).toMatch(/;Warnzeichen;Notiz\r\n/);
	expect(semicolons).toContain('gerötet');

	downloading = page.waitForEvent('download');
	await page.getByRole('button', { name: 'CSV mit Kommas herunterladen' }).click();
	expect((await bytesOf(await downloading)).toString('utf8')).toMatch(/^\uFEFFDatum,Tag,/);
});

test('a clinic’s summary names it and its phone, and prints the table and charts without the navigation', async ({
	browser
}, testInfo) => {
	test.setTimeout(180_000);
	const { page, close } = await startClinicServer(browser, testInfo);
	try {
		await aWeekOfCheckIns(page);
		const patient = page.getByRole('region', { name: 'Patient and clinic' });
		await expect(patient).toContainText('Riverside Skin Clinic');
		await expect(patient).toContainText('+44 20 7946 0000');
		// Only the name is left to write.
		await expect(patient.getByText('left blank, to write by hand')).toHaveCount(1);
		await page.screenshot({ path: testInfo.outputPath('summary-412.png'), fullPage: true });

		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
		await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
		await expect(page.getByRole('button', { name: /Download CSV/ })).toHaveCount(0);
		await expect(patient.getByText('this app keeps no name')).toBeHidden();
		await expect(patient).toContainText('Name');
		await expect(page.getByRole('table', { name: /^Worst level/ }).getByRole('row')).toHaveCount(
			1 + WEEK.length
		);
		await expect(page.getByRole('img', { name: 'Swelling' })).toBeVisible();
		await page.screenshot({ path: testInfo.outputPath('summary-print.png'), fullPage: true });
		const pdf = await page.pdf({ format: 'A4' });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	} finally {
		await close();
	}
});
