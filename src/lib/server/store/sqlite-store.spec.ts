import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore, sqliteSchemaVersion, StoreVersionError } from './sqlite-store';
import { storeContract, testSubscription } from '../../../../tests/support/store/store-contract';

const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-sqlite-'));
let count = 0;
const freshPath = () => join(dataDir, `store-${(count += 1)}`, 'aftercare.sqlite');

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

storeContract('sqlite', async () => new SqliteStore(freshPath()));

describe('SqliteStore', () => {
	it('creates its schema with a version, in WAL mode, and keeps data across a reopen', async () => {
		const path = freshPath();
		const store = new SqliteStore(path);
		await store.createSubscription(testSubscription('a'), [{ id: 'r1', dueAt: 1 }], 0);
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
				.prepare(
					"SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'reminders_claimable'"
				)
				.get()
		).toBeTruthy();
		raw.close();
	});

	it('waits for another process holding the write lock without blocking, then writes', async () => {
		const path = freshPath();
		const store = new SqliteStore(path);
		await store.createSubscription(testSubscription('a'), [{ id: 'r1', dueAt: 1 }], 0);
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

	it('upgrades a version 1 database, keeping its data, and claims through the partial index', async () => {
		const path = freshPath();
		mkdirSync(dirname(path), { recursive: true });
		// Version 1 as it shipped; written out so this seed never follows later changes.
		const raw = new Database(path);
		raw.exec(`CREATE TABLE schema_version (version INTEGER NOT NULL);
			INSERT INTO schema_version VALUES (1);
			CREATE TABLE subscriptions (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL,
				endpoint TEXT NOT NULL, p256dh TEXT NOT NULL, auth TEXT NOT NULL);
			CREATE TABLE reminders (
				subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
				reminder_id TEXT NOT NULL, due_at INTEGER NOT NULL,
				status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'retry', 'sent', 'failed')),
				attempts INTEGER NOT NULL DEFAULT 0, next_try_at INTEGER NOT NULL, lease_until INTEGER,
				last_error TEXT, sent_at INTEGER, PRIMARY KEY (subscription_id, reminder_id)
			) WITHOUT ROWID;
			CREATE INDEX reminders_due ON reminders (status, next_try_at);
			INSERT INTO subscriptions VALUES ('a', '${'0'.repeat(64)}', 'https://push.example.com/a', 'k', 'x');
			INSERT INTO reminders (subscription_id, reminder_id, due_at, status, next_try_at)
				VALUES ('a', 'r1', 5, 'pending', 5), ('a', 'r0', 1, 'sent', 1);`);
		raw.close();

		const store = new SqliteStore(path);
		expect((await store.listReminders('a')).map((r) => [r.reminderId, r.status])).toEqual([
			['r0', 'sent'],
			['r1', 'pending']
		]);
		expect((await store.claimDue(10, 10, 1000)).map((c) => c.reminderId)).toEqual(['r1']);
		await store.close();
		const check = new Database(path, { readonly: true });
		const plan = check
			.prepare(
				`EXPLAIN QUERY PLAN SELECT subscription_id FROM reminders
				WHERE status IN ('pending', 'retry', 'sending') AND next_try_at <= 1
				ORDER BY next_try_at, subscription_id, reminder_id LIMIT 5`
			)
			.all() as { detail: string }[];
		expect(plan.map((step) => step.detail).join(' | ')).toMatch(/reminders_claimable/);
		expect(plan.map((step) => step.detail).join(' | ')).not.toMatch(/TEMP B-TREE/);
		expect(check.prepare('SELECT version FROM schema_version').get()).toEqual({
			version: sqliteSchemaVersion
		});
		check.close();
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
