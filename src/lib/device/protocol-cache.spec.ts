import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { openCareDb, type CareDb } from './db';
import { loadProtocol } from './protocol-cache';

const name = 'protocol-cache-test';
let db: CareDb | undefined;
const open = async () => (db ??= await openCareDb(name));
const serving =
	(body: unknown, status = 200): typeof fetch =>
	async () =>
		new Response(JSON.stringify(body), { status });
const offline: typeof fetch = async () => {
	throw new TypeError('Failed to fetch');
};

afterEach(async () => {
	db?.close();
	db = undefined;
	await deleteDB(name);
});

describe('loadProtocol', () => {
	const protocol = defaultProtocol();

	it('takes the server’s protocol and keeps a copy on the phone', async () => {
		expect(await loadProtocol(serving(protocol), open)).toEqual({
			protocol,
			origin: 'network',
			serverAnswered: true
		});
		// No answer at all: the app shows it is offline, whatever the browser says.
		expect(await loadProtocol(offline, open)).toEqual({
			protocol,
			origin: 'device',
			serverAnswered: false
		});
	});

	it('uses the kept copy when the server answers with an error', async () => {
		await loadProtocol(serving(protocol), open);
		expect(await loadProtocol(serving({ message: 'down' }, 503), open)).toMatchObject({
			origin: 'device',
			serverAnswered: true
		});
	});

	it('follows a clinic that changed its protocol', async () => {
		await loadProtocol(serving(protocol), open);
		const changed = { ...protocol, version: 2 };
		await loadProtocol(serving(changed), open);
		expect((await loadProtocol(offline, open)).protocol.version).toBe(2);
	});

	it('asks for a pinned protocol by id, and keeps it when the server no longer has it', async () => {
		const asked: string[] = [];
		const answering =
			(status: number, body: unknown): typeof fetch =>
			async (input) => {
				asked.push(String(input));
				return new Response(JSON.stringify(body), { status });
			};
		const chosen = { ...protocol, id: 'riverside-rf', version: 2 };
		await (await open()).put('settings', { key: 'protocol', value: chosen, pinned: true });
		expect((await loadProtocol(answering(200, { ...chosen, version: 3 }), open)).protocol).toEqual({
			...chosen,
			version: 3
		});
		expect(await loadProtocol(answering(404, { error: 'gone' }), open)).toEqual({
			protocol: { ...chosen, version: 3 },
			origin: 'device',
			serverAnswered: true
		});
		expect(asked).toEqual(['/api/protocol?id=riverside-rf', '/api/protocol?id=riverside-rf']);
	});

	it('follows the server’s default until a protocol is pinned', async () => {
		const asked: string[] = [];
		const recording: typeof fetch = async (input) => {
			asked.push(String(input));
			return new Response(JSON.stringify(protocol));
		};
		await loadProtocol(recording, open);
		await loadProtocol(recording, open);
		expect(asked).toEqual(['/api/protocol', '/api/protocol']);
	});

	it('takes the server’s protocol when the phone’s storage will not open', async () => {
		const broken = () => Promise.reject(new DOMException('denied', 'InvalidStateError'));
		// A browser that refuses IndexedDB can make opening throw at once, too.
		const refusing = (): Promise<CareDb> => {
			throw new DOMException('denied', 'InvalidStateError');
		};
		for (const opener of [broken, refusing]) {
			expect(await loadProtocol(serving(protocol), opener)).toEqual({
				protocol,
				origin: 'network',
				serverAnswered: true
			});
		}
	});

	it('says the app must connect once when it has never had a protocol', async () => {
		await expect(loadProtocol(offline, open)).rejects.toThrow(/none is kept on this phone/);
	});
});
