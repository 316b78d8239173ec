import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClinicServer } from './clinic-server';
import { expect, test } from './fixtures';
import { berlin, onboard } from './helpers';
import { openSettings } from './settings';

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
	const task = (id: string) => protocol.tasks.find((one: { id: string }) => one.id === id);
	task('consultation').title = '';
	task('vitamin-cream').schedule.times = ['noon'];
	const file = join(mkdtempSync(join(tmpdir(), 'aftercare-')), 'clinic.json');
	writeFileSync(file, JSON.stringify(protocol));

	const { code, output } = await startServer({ PROTOCOL_FILE: file });

	expect(code).toBe(1);
	expect(output).toContain('Aftercare Companion cannot start.');
	expect(output).toContain('tasks[consultation].title: must not be empty');
	expect(output).toContain(
		'tasks[vitamin-cream].schedule.times[0]: must be "morning" or "evening"'
	);
	expect(output).not.toContain('Listening on');
});

test("a clinic's protocol and contact details reach the patient", async ({ browser }, testInfo) => {
	const { page, close } = await startClinicServer(browser, testInfo);
	try {
		await page.clock.install({ time: berlin('2026-12-15T12:00') });
		await onboard(page, { date: '2026-12-14', yesTo: ['eczema'] });

		// Day 1 of recovery: the warning signs name the clinic and its number.
		const signs = page.getByRole('region', { name: 'When to contact your provider' });
		await expect(signs).toContainText('Call Riverside Skin Clinic');
		await expect(signs.getByRole('link', { name: '+44 20 7946 0000' })).toHaveAttribute(
			'href',
			'tel:+442079460000'
		);

		// The screening advice does too.
		await openSettings(page, 'My treatment and answers');
		const advice = page.getByRole('region', { name: 'Talk to your provider before treatment' });
		await expect(advice.getByRole('link', { name: '+44 20 7946 0000' })).toBeVisible();
		// Settings' list names the clinic and its number; its page has the number to tap.
		await page.getByRole('link', { name: 'Back to Settings' }).click();
		await expect(
			page.getByRole('link', { name: 'Clinic', exact: true })
		).toHaveAccessibleDescription('Riverside Skin Clinic · +44 20 7946 0000');
		await page.getByRole('link', { name: 'Clinic', exact: true }).click();
		await expect(
			page.getByRole('region', { name: 'Riverside Skin Clinic' }).getByRole('link', {
				name: '+44 20 7946 0000'
			})
		).toHaveAttribute('href', 'tel:+442079460000');
	} finally {
		await close();
	}
});
