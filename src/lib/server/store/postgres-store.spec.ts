import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore, postgresSchemaVersion } from './postgres-store';
import { storeContract, testSubscription } from '../../../../tests/support/store/store-contract';
import { testDatabase, type TestDatabase } from '../../../../tests/support/store/test-database';
import { StoreUnavailableError } from './types';

let database: TestDatabase;

beforeAll(async () => {
	database = await testDatabase();
}, 60_000);

afterAll(async () => {
	await database?.close();
});

storeContract('postgres', async () =>
	PostgresStore.open({ connectionString: await database.freshSchemaUrl() })
);

describe('PostgresStore', () => {
	it('migrates once when several processes start together, and keeps data across a reopen', async () => {
		const url = await database.freshSchemaUrl();
		// Each open uses its own pool, as separate processes would; the advisory lock serialises them.
		const stores = await Promise.all(
			Array.from({ length: 6 }, () => PostgresStore.open({ connectionString: url }))
		);
		await stores[0]!.createSubscription(testSubscription('a'), [{ id: 'r1', dueAt: 1 }], 0);
		await Promise.all(stores.map((store) => store.close()));

		const reopened = await PostgresStore.open({ connectionString: url });
		expect(await reopened.getSubscription('a')).toEqual(testSubscription('a'));
		await reopened.close();

		const client = new pg.Client({ connectionString: url });
		await client.connect();
		const { rows } = await client.query('SELECT version FROM schema_version');
		expect(rows).toEqual([{ version: postgresSchemaVersion }]);
		await client.end();
	});

	it('refuses a database from a newer version of the server', async () => {
		const url = await database.freshSchemaUrl();
		await (await PostgresStore.open({ connectionString: url })).close();
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		await client.query('UPDATE schema_version SET version = $1', [postgresSchemaVersion + 1]);
		await client.end();
		await expect(PostgresStore.open({ connectionString: url })).rejects.toThrow(
			new RegExp(
				`schema version ${postgresSchemaVersion + 1}; this server knows up to ${postgresSchemaVersion}`
			)
		);
	});

	it('says "unavailable" rather than failing oddly when nothing listens', async () => {
		// A port from the ephemeral range with no server: connecting is refused at once.
		const nobody = new URL(database.url);
		nobody.port = '1';
		await expect(
			PostgresStore.open({ connectionString: nobody.toString(), connectTimeoutMs: 1000 })
		).rejects.toBeInstanceOf(StoreUnavailableError);
	});

	it('claims with FOR UPDATE SKIP LOCKED: stores in separate pools never share a reminder', async () => {
		const url = await database.freshSchemaUrl();
		const writer = await PostgresStore.open({ connectionString: url });
		const t0 = 1_000_000;
		for (let s = 0; s < 20; s += 1) {
			await writer.createSubscription(
				testSubscription(`s${s}`),
				Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, dueAt: t0 + i })),
				t0
			);
		}
		const dispatchers = await Promise.all(
			Array.from({ length: 4 }, () => PostgresStore.open({ connectionString: url }))
		);
		const claimed: string[] = [];
		await Promise.all(
			dispatchers.map(async (store) => {
				for (;;) {
					const batch = await store.claimDue(t0 + 1000, 37, 60_000);
					if (batch.length === 0) {
						return;
					}
					claimed.push(...batch.map((c) => `${c.subscriptionId}/${c.reminderId}`));
				}
			})
		);
		expect(claimed).toHaveLength(1000);
		expect(new Set(claimed).size).toBe(1000);
		await Promise.all([writer, ...dispatchers].map((store) => store.close()));
	});

	it('upgrades a version 1 database: finished reminders lose their instants, one subscription per endpoint stays', async () => {
		const url = await database.freshSchemaUrl();
		const client = new pg.Client({ connectionString: url });
		await client.connect();
		// Version 1 as it shipped; written out so this seed never follows later changes.
		await client.query(`CREATE TABLE schema_version (version integer NOT NULL);
			INSERT INTO schema_version VALUES (1);
			CREATE TABLE subscriptions (id text PRIMARY KEY, token_hash text NOT NULL,
				endpoint text NOT NULL, p256dh text NOT NULL, auth text NOT NULL);
			CREATE TABLE reminders (
				id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
				reminder_id text NOT NULL, due_at bigint NOT NULL,
				status text NOT NULL CHECK (status IN ('pending', 'sending', 'retry', 'sent', 'failed')),
				attempts integer NOT NULL DEFAULT 0, next_try_at bigint NOT NULL, lease_until bigint,
				last_error text, sent_at bigint, UNIQUE (subscription_id, reminder_id));
			CREATE INDEX reminders_claimable ON reminders (next_try_at)
				WHERE status IN ('pending', 'retry', 'sending');
			INSERT INTO subscriptions VALUES ('a', '${'0'.repeat(64)}', 'https://push.example.com/x', 'k', 'x'),
				('orphan', '${'1'.repeat(64)}', 'https://push.example.com/x', 'k', 'x');
			INSERT INTO reminders (subscription_id, reminder_id, due_at, status, next_try_at, sent_at,
					last_error)
				VALUES ('a', 'r1', 5, 'pending', 5, NULL, NULL),
					('a', 'r0', 1, 'sent', 60001, 1000, NULL),
					('a', 'r9', 2, 'failed', 60002, NULL, 'HTTP 400');`);
		await client.end();

		const store = await PostgresStore.open({ connectionString: url });
		expect(await store.getSubscription('orphan')).toBeNull();
		expect(
			(await store.listReminders('a')).map((r) => [r.reminderId, r.status, r.dueAt, r.lastError])
		).toEqual([
			['r0', 'sent', null, null],
			['r9', 'failed', null, null],
			['r1', 'pending', 5, null]
		]);
		expect((await store.listReminders('a'))[0]?.nextTryAt).toBe(86_400_000);
		expect((await store.claimDue(10, 10, 1000)).map((c) => c.reminderId)).toEqual(['r1']);
		await store.close();
	});
});
