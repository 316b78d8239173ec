import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore, sqliteSchemaVersion, StoreVersionError } from './sqlite-store';
import { storeContract, testSubscription } from './store-contract';

const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-sqlite-'));
let count = 0;
const freshPath = () => join(dataDir, `store-${(count += 1)}`, 'aftercare.sqlite');

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

storeContract('sqlite', async () => new SqliteStore(freshPath()));

describe('SqliteStore', () => {
	it('creates its schema with a version, in WAL mode, and keeps data across a reopen', async () => {
		const path = freshPath();
		const store = new SqliteStore(path);
		await store.createSubscription(testSubscription('a'), [{ id: 'r1', dueAt: 1 }]);
		await store.close();

		const reopened = new SqliteStore(path);
		expect(await reopened.getSubscription('a')).toEqual(testSubscription('a'));
		expect(await reopened.listReminders('a')).toHaveLength(1);
		await reopened.close();

		const raw = new Database(path, { readonly: true });
		expect(raw.prepare('SELECT version FROM schema_version').all()).toEqual([
			{ version: sqliteSchemaVersion }
		]);
		expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(
			raw
				.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'reminders_due'")
				.get()
		).toBeTruthy();
		raw.close();
	});

	it('waits for another process holding the write lock without blocking, then writes', async () => {
		const path = freshPath();
		const store = new SqliteStore(path);
		await store.createSubscription(testSubscription('a'), [{ id: 'r1', dueAt: 1 }]);
		// Another process's connection takes the write lock for a while.
		const other = new Database(path);
		other.exec('BEGIN IMMEDIATE');
		let ticks = 0;
		const ticker = setInterval(() => (ticks += 1), 5);
		const claiming = store.claimDue(10, 10, 60_000);
		await new Promise((resolve) => setTimeout(resolve, 100));
		other.exec('COMMIT');
		const claimed = await claiming;
		clearInterval(ticker);
		other.close();
		expect(claimed.map((c) => c.reminderId)).toEqual(['r1']);
		// The event loop kept turning while the claim waited.
		expect(ticks).toBeGreaterThan(5);
		await store.close();
	});

	it('refuses a database from a newer version of the server', async () => {
		const path = freshPath();
		await new SqliteStore(path).close();
		const raw = new Database(path);
		raw.prepare('UPDATE schema_version SET version = ?').run(sqliteSchemaVersion + 1);
		raw.close();
		expect(() => new SqliteStore(path)).toThrow(StoreVersionError);
	});
});
