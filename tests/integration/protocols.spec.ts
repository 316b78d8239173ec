// Several protocols on one server (PROTOCOL_DIR): each served by id, the default without one, a
// list for a clinic's page; and what the server refuses at start. See docs/protocol.md.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './helpers';

const base = JSON.parse(readFileSync('src/lib/domain/protocols/microneedling.json', 'utf8'));

/** A folder holding one protocol file per entry of `files`. */
function protocolDir(files: Record<string, object>): string {
	const dir = mkdtempSync(join(tmpdir(), 'aftercare-protocols-'));
	for (const [name, protocol] of Object.entries(files)) {
		writeFileSync(join(dir, name), JSON.stringify(protocol));
	}
	return dir;
}

const standard = { ...base, id: 'riverside-standard', title: 'Microneedling at Riverside' };
const rf = { ...base, id: 'riverside-rf', title: 'RF microneedling at Riverside', version: 3 };

describe('a server with two protocols', () => {
	let server: RunningServer;

	beforeAll(async () => {
		server = await startServer({
			PROTOCOL_DIR: protocolDir({ 'standard.json': standard, 'rf.json': rf }),
			DEFAULT_PROTOCOL: 'riverside-standard'
		});
	}, 30_000);
	afterAll(() => server?.stop());

	it('serves the default without an id, and each by its id', async () => {
		const fallback = await (await fetch(`${server.url}/api/protocol`)).json();
		expect(fallback.id).toBe('riverside-standard');
		const chosen = await fetch(`${server.url}/api/protocol?id=riverside-rf`);
		expect(chosen.status).toBe(200);
		expect(await chosen.json()).toMatchObject({ id: 'riverside-rf', version: 3 });
	});

	it('answers 404 for a protocol it does not have, and 400 for an id that is not one', async () => {
		const missing = await fetch(`${server.url}/api/protocol?id=riverside-laser`);
		expect(missing.status).toBe(404);
		expect(await missing.json()).toEqual({
			error: 'This server has no protocol "riverside-laser"'
		});
		for (const id of ['../etc/passwd', '', 'A'.repeat(65), 'x%00y']) {
			const bad = await fetch(`${server.url}/api/protocol?id=${encodeURIComponent(id)}`);
			expect(bad.status, id).toBe(400);
		}
	});

	it('lists them, the default first, for a clinic to choose from', async () => {
		expect(await (await fetch(`${server.url}/api/protocols`)).json()).toEqual([
			{ id: 'riverside-standard', title: 'Microneedling at Riverside', version: 1, default: true },
			{ id: 'riverside-rf', title: 'RF microneedling at Riverside', version: 3, default: false }
		]);
	});
});

describe('a server refuses to start', () => {
	/** Starts the build with `env`; resolves with what it printed once it has exited. */
	async function refusal(env: Record<string, string>): Promise<string> {
		const started = await startServer(env).then(
			async (server) => {
				await server.stop();
				return null;
			},
			(error: Error) => error.message
		);
		expect(started, 'the server started').not.toBeNull();
		return started ?? '';
	}

	it('when two files share an id, naming both', async () => {
		const output = await refusal({
			PROTOCOL_DIR: protocolDir({ 'a.json': standard, 'b.json': { ...standard } })
		});
		expect(output).toContain(
			'PROTOCOL_DIR: b.json and a.json both have the id "riverside-standard"'
		);
	});

	it('when several have no default named, listing them', async () => {
		const output = await refusal({
			PROTOCOL_DIR: protocolDir({ 'standard.json': standard, 'rf.json': rf })
		});
		expect(output).toMatch(
			/DEFAULT_PROTOCOL: .* holds 2 protocols; .*riverside-rf, riverside-standard/
		);
	});

	it('naming every problem of every file', async () => {
		const output = await refusal({
			PROTOCOL_DIR: protocolDir({
				'good.json': standard,
				'bad.json': { ...rf, version: 'two' },
				'broken.json': { ...rf, id: 'riverside-other', title: '' }
			}),
			DEFAULT_PROTOCOL: 'riverside-standard'
		});
		expect(output).toMatch(/bad\.json is not a valid care protocol .*\n\s+- version:/);
		expect(output).toMatch(/broken\.json is not a valid care protocol .*\n\s+- title:/);
	});
});
