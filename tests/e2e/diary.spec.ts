import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { berlin, dotCount, expectNoAxeViolations, onboard } from './helpers';

/** A JPEG made in the browser, larger than the app keeps, with an EXIF block naming a place. */
async function photoWithLocation(page: Page): Promise<Buffer> {
	const bytes = await page.evaluate(async () => {
		const canvas = new OffscreenCanvas(3000, 2000);
		const context = canvas.getContext('2d')!;
		context.fillStyle = '#c77';
		context.fillRect(0, 0, 3000, 2000);
		context.fillStyle = '#fff';
		context.fillRect(1000, 600, 1000, 800);
		const jpeg = new Uint8Array(
			await (await canvas.convertToBlob({ type: 'image/jpeg' })).arrayBuffer()
		);
		// APP1 "Exif" segment: a big-endian TIFF header with an empty IFD, then the words a
		// location would carry.
		const payload = [
			...new TextEncoder().encode('Exif\0\0'),
			...[0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
			...new TextEncoder().encode('GPSLatitude 52.52 GPSLongitude 13.40')
		];
		const length = payload.length + 2;
		const segment = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
		return [...jpeg.slice(0, 2), ...segment, ...jpeg.slice(2)];
	});
	return Buffer.from(bytes);
}

/** The stored (downscaled) image of the one photo in IndexedDB, as bytes and size. */
async function storedPhoto(page: Page) {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const request = indexedDB.open('aftercare-companion');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		const all = await new Promise<{ image: Blob; thumbnail: Blob; original: Blob | null }[]>(
			(resolve) => {
				const request = db.transaction('photoData').objectStore('photoData').getAll();
				request.onsuccess = () => resolve(request.result);
			}
		);
		db.close();
		const image = all[0]!.image;
		const bitmap = await createImageBitmap(image);
		const text = new TextDecoder('latin1').decode(await image.arrayBuffer());
		return {
			count: all.length,
			width: bitmap.width,
			height: bitmap.height,
			type: image.type,
			hasExif: text.includes('Exif') || text.includes('GPSLatitude'),
			hasOriginal: all[0]!.original !== null
		};
	});
}

async function rate(page: Page, symptom: string, level: string) {
	await page.getByRole('group', { name: symptom, exact: true }).getByLabel(level).check();
}

test.describe('the recovery diary', () => {
	test('a check-in with a photo is kept, downscaled and without its location, across a reload', async ({
		page
	}) => {
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await page.getByRole('link', { name: 'Diary' }).click();
		await page.getByRole('link', { name: 'Check in for today' }).click();

		await rate(page, 'Redness', 'Mild');
		await rate(page, 'Swelling', 'Mild');
		await page.getByLabel('Used an ice pack').check();
		await page.getByLabel('Note').fill('Feels tight, like a mild sunburn.');
		await page.getByLabel('Area in the photo').selectOption('face');
		await page.getByLabel('Choose from gallery').setInputFiles({
			name: 'face.jpg',
			mimeType: 'image/jpeg',
			buffer: await photoWithLocation(page)
		});
		await expect(page.getByRole('img', { name: 'New photo: Face' })).toBeVisible();
		await page.getByRole('button', { name: 'Save check-in' }).click();

		await expect(page).toHaveURL(/\/diary\?entry=/);
		await expect(page.getByRole('region', { name: 'This is expected' })).toContainText(
			'Redness is expected for up to five days.'
		);
		// The protocol's sentence names the symptom itself: no "Redness: Redness is…".
		await expect(page.getByRole('region', { name: 'This is expected' })).not.toContainText(
			'Redness: Redness'
		);
		const card = page.locator('[data-entry]').first();
		await expect(card).toContainText('Redness: Mild, Swelling: Mild');
		await expect(card.getByRole('img', { name: /Photo: Face, / })).toBeVisible();

		const stored = await storedPhoto(page);
		expect(stored).toEqual({
			count: 1,
			width: 1600,
			height: 1067,
			type: 'image/jpeg',
			hasExif: false,
			hasOriginal: false
		});

		// The ice pack recorded in the diary ticks off the plan's ice-pack tasks of the day.
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(
			page.getByRole('region', { name: 'To do now' }).getByRole('checkbox', { name: 'Ice pack' })
		).toBeChecked();

		await page.reload();
		await page.getByRole('link', { name: 'Diary' }).click();
		await expect(page.locator('[data-entry]').first()).toContainText('Feels tight');
		await expect(page.locator('[data-entry]').first().getByRole('img')).toBeVisible();
	});

	test('moderate redness on day 6 raises a calm "contact your provider" banner; on day 5 it is expected', async ({
		page
	}) => {
		await page.clock.install({ time: berlin('2026-12-19T12:00') });
		await onboard(page, { date: '2026-12-14' });
		await page.goto('/diary/check-in');
		await rate(page, 'Redness', 'Moderate');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		await expect(page.getByRole('region', { name: 'This is expected' })).toBeVisible();
		await expect(page.getByRole('region', { name: 'Please contact your provider' })).toHaveCount(0);

		await page.clock.setSystemTime(berlin('2026-12-20T12:00'));
		await page.goto('/diary/check-in');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check-in · Sun 20 Dec');
		await rate(page, 'Redness', 'Moderate');
		await page.getByRole('button', { name: 'Save check-in' }).click();
		const banner = page.getByRole('region', { name: 'Please contact your provider' });
		await expect(banner).toContainText('Redness or swelling that lasts');
		await expect(banner).toContainText('Redness: Moderate on day 6');
		await expect(banner).toContainText('Contact your provider');

		// Today shows it too.
		await page.getByRole('link', { name: 'Today', exact: true }).click();
		await expect(page.getByRole('region', { name: 'Please contact your provider' })).toBeVisible();
	});

	test('the follow-up summary charts, lists warnings and notes, and prints cleanly', async ({
		page
	}) => {
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
		for (const [date, level, note] of [
			['2026-12-15', 'Severe', 'Very red'],
			['2026-12-17', 'Moderate', ''],
			['2026-12-20', 'Moderate', 'Still red on day 6']
		] as const) {
			await page.clock.setSystemTime(berlin(`${date}T12:00`));
			await page.goto('/diary/check-in');
			await rate(page, 'Redness', level);
			if (note) {
				await page.getByLabel('Note').fill(note);
			}
			await page.getByRole('button', { name: 'Save check-in' }).click();
			await expect(page).toHaveURL(/entry=/);
		}
		await page.getByRole('link', { name: 'Follow-up summary' }).click();

		await expect(page.getByRole('heading', { name: 'Follow-up summary' })).toBeVisible();
		const chart = page.getByRole('img', { name: 'Redness' });
		await expect(chart).toBeVisible();
		expect(await dotCount(chart)).toBe(3);
		const warnings = page.getByRole('region', { name: 'Warning signs noted' });
		await expect(warnings.getByRole('row')).toHaveCount(2);
		await expect(warnings).toContainText('Redness: Moderate on day 6');
		await expect(page.getByRole('region', { name: 'Notes' })).toContainText('Still red on day 6');
		await expect(page.getByRole('region', { name: 'Care' })).toContainText('Used an ice pack');
		await expectNoAxeViolations(page);

		const csv = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Download CSV', exact: true }).click();
		const download = await csv;
		expect(download.suggestedFilename()).toBe('aftercare-diary-2026-12-14.csv');

		await page.emulateMedia({ media: 'print' });
		await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
		await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
		await expect(chart).toBeVisible();
		const pdf = await page.pdf({ format: 'A4' });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(pdf.length).toBeGreaterThan(5_000);
	});

	test('diary screens pass axe', async ({ page }) => {
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14' });
		for (const path of ['/diary', '/diary/check-in', '/diary/photos', '/summary']) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expectNoAxeViolations(page);
		}
	});
});
