import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, defaultDispatchTuning, type PushConfig } from '../config';
import { exitOnConfigError, startPushSide } from './start';

function pushConfig(patch: Partial<PushConfig> = {}): PushConfig {
	return {
		dataDir: join(mkdtempSync(join(tmpdir(), 'aftercare-start-')), 'data'),
		vapidKeys: null,
		vapidSubject: 'mailto:unit@example-clinic.org',
		endpointAllowlist: [],
		allowLoopbackEndpoints: false,
		dispatcher: true,
		publicOrigin: 'https://care.example-clinic.org',
		databaseUrl: null,
		dispatch: { ...defaultDispatchTuning },
		...patch
	};
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('startPushSide', () => {
	it('makes DATA_DIR, generates the keys and opens the store there on first start', async () => {
		const push = pushConfig();
		const side = await startPushSide(push, false);
		try {
			expect(side.sending).toBe(false);
			expect(side.vapid.source).toBe('generated');
			expect(existsSync(join(push.dataDir, 'vapid.json'))).toBe(true);
			expect(existsSync(join(push.dataDir, 'aftercare.sqlite'))).toBe(true);
			await side.store.ping();
		} finally {
			await side.stop();
		}
		const again = await startPushSide(push, false);
		expect(again.vapid).toEqual({ ...side.vapid, source: 'file' });
		await again.stop();
	});

	it('starts the dispatcher when asked, and stop() ends it and closes the store', async () => {
		const side = await startPushSide(pushConfig(), true);
		expect(side.sending).toBe(true);
		// The first round runs at once: let it claim (nothing is due) before stopping.
		await new Promise((resolve) => setTimeout(resolve, 20));
		await side.stop();
		await expect(side.store.ping()).rejects.toThrow();
	});

	it('names DATA_DIR when it cannot be made', async () => {
		const parent = mkdtempSync(join(tmpdir(), 'aftercare-start-'));
		const file = join(parent, 'not-a-folder');
		writeFileSync(file, '');
		await expect(startPushSide(pushConfig({ dataDir: join(file, 'data') }), false)).rejects.toThrow(
			/^DATA_DIR: cannot create /
		);
	});

	it('warns at start about settings that should not stay', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const side = await startPushSide(pushConfig({ vapidSubject: null }), false);
		await side.stop();
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('VAPID_SUBJECT is not set'));
	});
});

describe('exitOnConfigError', () => {
	it('ends the process with the heading and the message alone', () => {
		const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
			throw new Error('exited');
		}) as never);
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(() =>
			exitOnConfigError(new ConfigError('DATA_DIR: cannot open x'), 'It cannot start.')
		).toThrow('exited');
		expect(exit).toHaveBeenCalledWith(1);
		expect(error).toHaveBeenCalledWith('It cannot start.\nDATA_DIR: cannot open x');
	});

	it('throws anything else on', () => {
		const exit = vi.spyOn(process, 'exit');
		const bug = new TypeError('a bug');
		expect(() => exitOnConfigError(bug, 'It cannot start.')).toThrow(bug);
		expect(exit).not.toHaveBeenCalled();
	});
});
