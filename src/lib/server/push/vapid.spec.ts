import { mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, defaultDispatchTuning, type PushConfig } from '../config';
import { generateVapidKeys, loadVapidDetails, placeholderVapidSubject } from './vapid';
import { isVapidPrivateKey, isVapidPublicKey } from './vapid-format';

function pushConfig(patch: Partial<PushConfig> = {}): PushConfig {
	return {
		dataDir: join(mkdtempSync(join(tmpdir(), 'aftercare-vapid-')), 'data'),
		vapidKeys: null,
		vapidSubject: null,
		endpointAllowlist: [],
		allowLoopbackEndpoints: false,
		dispatcher: true,
		publicOrigin: null,
		databaseUrl: null,
		dispatch: { ...defaultDispatchTuning },
		...patch
	};
}

describe('loadVapidDetails', () => {
	it('generates a key pair on first start, keeps it in DATA_DIR (0600) and reuses it', () => {
		const config = pushConfig();
		const generate = vi.fn(generateVapidKeys);
		const first = loadVapidDetails(config, generate);
		expect(first.source).toBe('generated');
		expect(isVapidPublicKey(first.publicKey)).toBe(true);
		expect(isVapidPrivateKey(first.privateKey)).toBe(true);
		const path = join(config.dataDir, 'vapid.json');
		expect(statSync(path).mode & 0o777).toBe(0o600);
		expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
			publicKey: first.publicKey,
			privateKey: first.privateKey
		});

		const second = loadVapidDetails(config, generate);
		expect(second).toMatchObject({
			publicKey: first.publicKey,
			privateKey: first.privateKey,
			source: 'file'
		});
		expect(generate).toHaveBeenCalledTimes(1);
	});

	it('tightens a key file others can read', () => {
		const config = pushConfig();
		loadVapidDetails(config);
		const path = join(config.dataDir, 'vapid.json');
		chmodSync(path, 0o644);
		loadVapidDetails(config);
		expect(statSync(path).mode & 0o777).toBe(0o600);
	});

	it('prefers keys from the environment and writes nothing', () => {
		const keys = generateVapidKeys();
		const config = pushConfig({ vapidKeys: keys, vapidSubject: 'mailto:it@example.org' });
		expect(loadVapidDetails(config)).toEqual({
			...keys,
			subject: 'mailto:it@example.org',
			source: 'environment',
			subjectConfigured: true
		});
	});

	it('signs with a placeholder subject when none is set, and says so', () => {
		const details = loadVapidDetails(pushConfig());
		expect(details.subject).toBe(placeholderVapidSubject);
		expect(details.subjectConfigured).toBe(false);
	});

	it('stops on a damaged key file rather than replacing the keys', () => {
		const config = pushConfig();
		loadVapidDetails(config);
		const path = join(config.dataDir, 'vapid.json');
		writeFileSync(path, '{"publicKey": "x"}');
		expect(() => loadVapidDetails(config)).toThrow(ConfigError);
		writeFileSync(path, 'not json');
		expect(() => loadVapidDetails(config)).toThrow(/not valid JSON/);
	});
});
