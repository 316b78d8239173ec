import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import raw from '$lib/domain/protocols/microneedling.json';
import { ConfigError, loadConfig } from './config';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-config-'));
const write = (name: string, content: string) => {
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
			website: ''
		});
		expect(config.protocolSource).toBe(path);
	});

	it('names every problem of an invalid protocol', () => {
		const path = write(
			'bad.json',
			JSON.stringify({ ...raw, version: 'two', tasks: [{ ...raw.tasks[0], title: ' ' }] })
		);
		expect(() => loadConfig({ PROTOCOL_FILE: path })).toThrow(ConfigError);
		expect(() => loadConfig({ PROTOCOL_FILE: path })).toThrow(
			/problems\):\n {2}- version: .*\n {2}- tasks\.0\.title: must not be empty/
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
