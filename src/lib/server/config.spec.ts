import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import raw from '$lib/domain/protocols/microneedling.json';
import { ConfigError, loadConfig } from './config';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-config-'));
const write = (name: string, content: string | Uint8Array) => {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
};

describe('loadConfig', () => {
	it('uses the bundled protocol without PROTOCOL_FILE', () => {
		const config = loadConfig({});
		expect(config.protocol.id).toBe('microneedling-default');
		expect(config.protocolSource).toBe('bundled default');
	});

	it('serves the clinic page unless CLINIC_PAGE is off, and refuses other values', () => {
		expect(loadConfig({}).clinicPage).toBe(true);
		expect(loadConfig({ CLINIC_PAGE: 'on' }).clinicPage).toBe(true);
		expect(loadConfig({ CLINIC_PAGE: ' OFF ' }).clinicPage).toBe(false);
		expect(() => loadConfig({ CLINIC_PAGE: 'hidden' })).toThrow(
			'CLINIC_PAGE: must be on or off (1/0, true/false), not "hidden"'
		);
	});

	it("loads a clinic's own protocol with its contact details", () => {
		const path = write(
			'clinic.json',
			JSON.stringify({
				...raw,
				clinic: { name: 'Riverside Skin Clinic', phone: '+44 20 7946 0000' }
			})
		);
		const config = loadConfig({ PROTOCOL_FILE: path });
		expect(config.protocol.clinic).toEqual({
			name: 'Riverside Skin Clinic',
			phone: '+44 20 7946 0000',
			website: '',
			email: '',
			logo: '',
			accent: ''
		});
		expect(config.protocolSource).toBe(path);
		expect(config.logos.size).toBe(0);
	});

	it('serves a protocol whose translation lacks texts, and warns of them, naming the file', () => {
		const path = write(
			'half-german.json',
			JSON.stringify({ ...raw, translations: { de: { title: 'Pflegeplan' } } })
		);
		const config = loadConfig({ PROTOCOL_FILE: path });
		expect(config.protocol.translations).toEqual({ de: { title: 'Pflegeplan' } });
		expect(config.protocolWarnings).toHaveLength(1);
		expect(config.protocolWarnings[0]).toMatch(
			/translations\.de: \d+ texts not translated, shown in "en": disclaimer, /
		);
		expect(config.protocolWarnings[0]!.startsWith(`${path}: `)).toBe(true);
		expect(loadConfig({}).protocolWarnings).toEqual([]);
	});

	it('refuses a translation of a text the protocol does not have', () => {
		const path = write(
			'wrong-path.json',
			JSON.stringify({ ...raw, translations: { de: { 'tasks[nothing].title': 'x' } } })
		);
		expect(() => loadConfig({ PROTOCOL_FILE: path })).toThrow(
			'translations.de.tasks[nothing].title'
		);
	});

	it("reads the clinic's logo beside the protocol file, and gives the phones its address", () => {
		write('riverside.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 1"/>');
		const path = write(
			'branded.json',
			JSON.stringify({
				...raw,
				clinic: {
					name: 'Riverside Skin Clinic',
					email: 'care@riverside.example',
					logo: 'riverside.svg',
					accent: '#6B2FA0'
				}
			})
		);
		const config = loadConfig({ PROTOCOL_FILE: path });
		const [logo] = [...config.logos.values()];
		expect(logo).toMatchObject({ file: join(dir, 'riverside.svg'), type: 'image/svg+xml' });
		expect(config.logos.get(logo!.tag)).toBe(logo);
		expect(config.protocol.clinic).toMatchObject({
			email: 'care@riverside.example',
			logo: `/api/clinic/logo?v=${logo?.tag}`,
			accent: '#6b2fa0'
		});
	});

	it('refuses to start with a logo that is too large, not an image or missing, naming it', () => {
		write('huge.png', new Uint8Array(200 * 1024));
		write('fake.svg', 'MZ not an image');
		const problem = (logo: string) => {
			const path = write(
				`logo-${logo}.json`,
				JSON.stringify({ ...raw, clinic: { name: 'Riverside', logo } })
			);
			return () => loadConfig({ PROTOCOL_FILE: path });
		};
		expect(problem('huge.png')).toThrow(
			/^PROTOCOL_FILE: clinic\.logo: .*huge\.png is 200 KB; a logo may be at most 100 KB/
		);
		expect(problem('fake.svg')).toThrow(/fake\.svg is neither a PNG .* nor an SVG/);
		expect(problem('gone.svg')).toThrow(/clinic\.logo: cannot read .*gone\.svg/);
	});

	it('refuses an accent that fails contrast, with the ratio, beside every other problem', () => {
		const path = write(
			'pale.json',
			JSON.stringify({
				...raw,
				clinic: { name: 'Riverside', accent: '#7fd1ff', email: 'nope' }
			})
		);
		expect(() => loadConfig({ PROTOCOL_FILE: path, DISPATCH_BATCH_SIZE: 'many' })).toThrow(
			/ - clinic\.email: must be an email address[\s\S]* - clinic\.accent: #7fd1ff has 1\.5:1 against the page background \(#f2f6f7\)[^\n]*it needs 4\.5:1[\s\S]*DISPATCH_BATCH_SIZE/
		);
	});

	it('names every problem of an invalid protocol', () => {
		const path = write(
			'bad.json',
			JSON.stringify({ ...raw, version: 'two', tasks: [{ ...raw.tasks[0], title: ' ' }] })
		);
		expect(() => loadConfig({ PROTOCOL_FILE: path })).toThrow(ConfigError);
		expect(() => loadConfig({ PROTOCOL_FILE: path })).toThrow(
			/problems\):\n {2}- version: .*\n {2}- tasks\[consultation\]\.title: must not be empty/
		);
	});

	it('says when the file is missing or not JSON', () => {
		expect(() => loadConfig({ PROTOCOL_FILE: join(dir, 'none.json') })).toThrow(
			/cannot read .*none\.json/
		);
		expect(() => loadConfig({ PROTOCOL_FILE: write('broken.json', '{"id": ') })).toThrow(
			/is not valid JSON/
		);
	});
});

describe('loadConfig: several protocols (PROTOCOL_DIR)', () => {
	const folder = (files: Record<string, object>) => {
		const path = mkdtempSync(join(dir, 'protocols-'));
		for (const [name, protocol] of Object.entries(files)) {
			writeFileSync(join(path, name), JSON.stringify(protocol));
		}
		return path;
	};
	const one = { ...raw, id: 'one' };
	const two = { ...raw, id: 'two' };

	it('offers every protocol by id, the named one by default', () => {
		const config = loadConfig({
			PROTOCOL_DIR: folder({ 'one.json': one, 'two.json': two, 'notes.txt': {} }),
			DEFAULT_PROTOCOL: 'two'
		});
		expect(config.protocol.id).toBe('two');
		expect([...config.protocols.keys()]).toEqual(['one', 'two']);
	});

	it('needs no default named when there is one protocol', () => {
		expect(loadConfig({ PROTOCOL_DIR: folder({ 'one.json': one }) }).protocol.id).toBe('one');
	});

	it('refuses a default it does not have, an empty folder, and both variables at once', () => {
		expect(() =>
			loadConfig({ PROTOCOL_DIR: folder({ 'one.json': one }), DEFAULT_PROTOCOL: 'three' })
		).toThrow(/DEFAULT_PROTOCOL: no protocol in .* has the id "three" \(there are: one\)/);
		expect(() => loadConfig({ PROTOCOL_DIR: folder({}) })).toThrow(/holds no \.json protocol file/);
		expect(() =>
			loadConfig({ PROTOCOL_DIR: folder({ 'one.json': one }), PROTOCOL_FILE: 'x.json' })
		).toThrow('PROTOCOL_FILE and PROTOCOL_DIR: set one of them, not both');
	});
});

describe('loadConfig: push', () => {
	const publicKey = `B${'A'.repeat(86)}`;
	const privateKey = 'A'.repeat(43);

	it("defaults to ./data, generated keys, no subject, the browsers' push services, dispatcher on", () => {
		expect(loadConfig({}).push).toEqual({
			dataDir: resolve('data'),
			vapidKeys: null,
			vapidSubject: null,
			endpointAllowlist: [
				'fcm.googleapis.com',
				'push.services.mozilla.com',
				'push.apple.com',
				'notify.windows.com'
			],
			allowLoopbackEndpoints: false,
			dispatcher: true,
			publicOrigin: null,
			databaseUrl: null,
			dispatch: {
				intervalMs: 5000,
				leaseMs: 120_000,
				batchSize: 200,
				concurrency: 32,
				retryBaseMs: 30_000,
				sendDeadlineMs: 10_000,
				unseenSubscriptionMs: 60 * 86_400_000
			}
		});
	});

	it('reads ORIGIN as the link notifications open: https, or http on this machine only', () => {
		const origin = (value: string) => loadConfig({ ORIGIN: value }).push.publicOrigin;
		expect(origin(' https://Care.Example-Clinic.org/ ')).toBe('https://care.example-clinic.org');
		expect(origin('https://care.example-clinic.org:8443')).toBe(
			'https://care.example-clinic.org:8443'
		);
		expect(origin('http://127.0.0.1:5501')).toBe('http://127.0.0.1:5501');
		expect(origin('http://localhost:3000')).toBe('http://localhost:3000');
		expect(origin('')).toBeNull();
		for (const wrong of [
			'care.example-clinic.org',
			'http://care.example-clinic.org',
			'https://care.example-clinic.org/app',
			'https://care.example-clinic.org/?x=1',
			'https://care.example-clinic.org/#top',
			'https://user:pw@care.example-clinic.org',
			'javascript:alert(1)',
			'ftp://care.example-clinic.org'
		]) {
			expect(() => loadConfig({ ORIGIN: wrong }), wrong).toThrow(/^ORIGIN: must be/m);
		}
	});

	it('reads every push variable', () => {
		const push = loadConfig({
			DATA_DIR: dir,
			VAPID_PUBLIC_KEY: publicKey,
			VAPID_PRIVATE_KEY: privateKey,
			VAPID_SUBJECT: 'mailto:it@example-clinic.org',
			PUSH_ENDPOINT_ALLOWLIST: ' fcm.googleapis.com, .web.push.apple.com ,',
			PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
			DISPATCHER: 'off',
			ORIGIN: 'https://care.example-clinic.org',
			DATABASE_URL: 'postgres://aftercare:secret@db.internal:5432/aftercare',
			DISPATCH_INTERVAL_SECONDS: '0.5',
			DISPATCH_LEASE_SECONDS: '30',
			DISPATCH_BATCH_SIZE: '500',
			DISPATCH_CONCURRENCY: '64',
			DISPATCH_RETRY_BASE_SECONDS: '2',
			DISPATCH_SEND_DEADLINE_SECONDS: '8',
			SUBSCRIPTION_UNSEEN_DAYS: '14'
		}).push;
		expect(push).toEqual({
			dataDir: dir,
			vapidKeys: { publicKey, privateKey },
			vapidSubject: 'mailto:it@example-clinic.org',
			endpointAllowlist: ['fcm.googleapis.com', 'web.push.apple.com'],
			allowLoopbackEndpoints: true,
			dispatcher: false,
			publicOrigin: 'https://care.example-clinic.org',
			databaseUrl: 'postgres://aftercare:secret@db.internal:5432/aftercare',
			dispatch: {
				intervalMs: 500,
				leaseMs: 30_000,
				batchSize: 500,
				concurrency: 64,
				retryBaseMs: 2000,
				sendDeadlineMs: 8000,
				unseenSubscriptionMs: 14 * 86_400_000
			}
		});
	});

	it('takes * for any public host, alone', () => {
		expect(loadConfig({ PUSH_ENDPOINT_ALLOWLIST: ' * ' }).push.endpointAllowlist).toBe('any');
		expect(() => loadConfig({ PUSH_ENDPOINT_ALLOWLIST: '*,fcm.googleapis.com' })).toThrow(
			'PUSH_ENDPOINT_ALLOWLIST: * (any public host) stands alone'
		);
	});

	it('refuses a lease that cannot hold three send deadlines', () => {
		expect(() => loadConfig({ DISPATCH_LEASE_SECONDS: '29' })).toThrow(
			/^DISPATCH_LEASE_SECONDS: must be at least 3 × DISPATCH_SEND_DEADLINE_SECONDS \(30 s\)/
		);
		expect(() =>
			loadConfig({ DISPATCH_LEASE_SECONDS: '120', DISPATCH_SEND_DEADLINE_SECONDS: '41' })
		).toThrow('(123 s)');
		const short = loadConfig({ DISPATCH_LEASE_SECONDS: '4', DISPATCH_SEND_DEADLINE_SECONDS: '1' });
		expect(short.push.dispatch).toMatchObject({ leaseMs: 4000, sendDeadlineMs: 1000 });
	});

	it('wants VAPID keys from the environment with DATABASE_URL, so all processes share them', () => {
		expect(() => loadConfig({ DATABASE_URL: 'postgres://db/aftercare' })).toThrow(
			/required with DATABASE_URL.*npx web-push generate-vapid-keys/
		);
		expect(() =>
			loadConfig({
				DATABASE_URL: 'mysql://db/aftercare',
				VAPID_PUBLIC_KEY: publicKey,
				VAPID_PRIVATE_KEY: privateKey
			})
		).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
	});

	it('names every invalid push variable at once', () => {
		const attempt = () =>
			loadConfig({
				VAPID_PUBLIC_KEY: 'short',
				VAPID_PRIVATE_KEY: privateKey,
				VAPID_SUBJECT: 'admin@example.org',
				PUSH_ENDPOINT_ALLOWLIST: 'fcm.googleapis.com,https://x/',
				PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'yes',
				DISPATCHER: 'maybe',
				DISPATCH_LEASE_SECONDS: '0',
				DISPATCH_CONCURRENCY: 'lots'
			});
		expect(attempt).toThrow(ConfigError);
		const message = (() => {
			try {
				attempt();
				return '';
			} catch (error) {
				return (error as Error).message;
			}
		})();
		expect(message.split('\n')).toEqual([
			'VAPID_PUBLIC_KEY: must be the base64url of an uncompressed P-256 public key (65 bytes)',
			expect.stringContaining('VAPID_SUBJECT: must be a mailto: address or an https: URL'),
			'PUSH_ENDPOINT_ALLOWLIST: "https://x/" is not a host name',
			'DISPATCH_LEASE_SECONDS: must be a number from 1 to 3600, not "0"',
			'DISPATCH_CONCURRENCY: must be a number from 1 to 1000, not "lots"',
			'PUSH_ALLOW_LOOPBACK_ENDPOINTS: must be on or off (1/0, true/false), not "yes"',
			'DISPATCHER: must be on or off (1/0, true/false), not "maybe"'
		]);
	});

	it('wants both VAPID keys or neither', () => {
		expect(() => loadConfig({ VAPID_PUBLIC_KEY: publicKey })).toThrow(/set both or neither/);
	});

	it.each(['mailto:admin@localhost', 'http://example.org', 'https://localhost/', 'mailto:'])(
		'refuses the subject %s',
		(subject) => {
			expect(() => loadConfig({ VAPID_SUBJECT: subject })).toThrow(/VAPID_SUBJECT/);
		}
	);

	it.each(['mailto:it@example-clinic.org', 'https://example-clinic.org/contact'])(
		'accepts the subject %s',
		(subject) => {
			expect(loadConfig({ VAPID_SUBJECT: subject }).push.vapidSubject).toBe(subject);
		}
	);
});

describe('loadConfig: API rate limits', () => {
	it('limits subscribing strictly and updates loosely by default', () => {
		expect(loadConfig({}).limits).toEqual({
			subscribe: { burst: 10, perMinute: 6 },
			update: { burst: 30, perMinute: 60 }
		});
	});

	it('reads each limit, and a rate of 0 turns it off', () => {
		expect(
			loadConfig({
				SUBSCRIBE_RATE_PER_MINUTE: '2',
				SUBSCRIBE_BURST: '4',
				API_RATE_PER_MINUTE: '0'
			}).limits
		).toEqual({ subscribe: { burst: 4, perMinute: 2 }, update: null });
	});

	it('refuses a limit that is not a number, or a burst below 1', () => {
		expect(() => loadConfig({ SUBSCRIBE_RATE_PER_MINUTE: 'fast', API_BURST: '0' })).toThrow(
			/SUBSCRIBE_RATE_PER_MINUTE: must be a number[\s\S]*API_BURST: must be a number from 1/
		);
	});
});
