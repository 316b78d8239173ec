import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

/** Starts the built server with extra environment; resolves with its exit or a first request. */
function startServer(
	env: Record<string, string>
): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['build'], {
			env: { ...process.env, HOST: '127.0.0.1', PORT: '4199', ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const timer = setTimeout(() => child.kill(), 10_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, output });
		});
	});
}

test('an invalid protocol file stops the server at start, naming each problem', async () => {
	const protocol = JSON.parse(readFileSync('src/lib/domain/protocols/microneedling.json', 'utf8'));
	protocol.tasks[0].title = '';
	protocol.tasks[1].schedule.times = ['noon'];
	const file = join(mkdtempSync(join(tmpdir(), 'aftercare-')), 'clinic.json');
	writeFileSync(file, JSON.stringify(protocol));

	const { code, output } = await startServer({ PROTOCOL_FILE: file });

	expect(code).toBe(1);
	expect(output).toContain('Aftercare Companion cannot start.');
	expect(output).toContain('tasks.0.title: must not be empty');
	expect(output).toContain('tasks.1.schedule.times.0: must be "morning" or "evening"');
	expect(output).not.toContain('Listening on');
});

test("a clinic's protocol and contact details reach the patient", async ({ browser }) => {
	const protocol = JSON.parse(readFileSync('src/lib/domain/protocols/microneedling.json', 'utf8'));
	protocol.clinic = { name: 'Riverside Skin Clinic', phone: '+44 20 7946 0000', website: '' };
	const file = join(mkdtempSync(join(tmpdir(), 'aftercare-')), 'clinic.json');
	writeFileSync(file, JSON.stringify(protocol));
	const child = spawn(process.execPath, ['build'], {
		env: { ...process.env, HOST: '127.0.0.1', PORT: '4198', PROTOCOL_FILE: file },
		stdio: 'ignore'
	});
	try {
		const page = await browser.newPage();
		await expect(async () => {
			await page.goto('http://127.0.0.1:4198/settings');
		}).toPass({ timeout: 10_000 });
		await page.goto('http://127.0.0.1:4198/settings');
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await page.goto('http://127.0.0.1:4198/welcome');
		await page.getByLabel('Treatment date').fill('2030-01-10');
		for (const question of await page.locator('fieldset.question').all()) {
			await question.getByLabel('Yes', { exact: true }).check();
		}
		await page.getByRole('button', { name: 'Show my plan' }).click();
		const advice = page.getByRole('region', { name: 'Talk to your provider before treatment' });
		await expect(advice.getByRole('link', { name: '+44 20 7946 0000' })).toHaveAttribute(
			'href',
			'tel:+442079460000'
		);
		await expect(advice).toContainText('Riverside Skin Clinic');
	} finally {
		child.kill();
	}
});
