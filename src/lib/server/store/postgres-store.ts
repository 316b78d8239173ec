import pg from 'pg';
import {
	forgetDay,
	sameSecret,
	toClaimed,
	toReminderState,
	toSubscription,
	type ClaimedRow,
	type ReminderRow,
	type SubscriptionRow
} from './rows';
import {
	StoreUnavailableError,
	type ClaimedReminder,
	type Delivery,
	type Lease,
	type PushStore,
	type PushSubscriptionData,
	type ReminderSchedule,
	type ReminderState,
	type ReplaceResult,
	type StoredSubscription,
	type SubscribeResult
} from './types';

/** The schema this code writes; bump it with a new step in `migrations`. */
export const postgresSchemaVersion = 2;

/** The unique key of an endpoint, as indexed: a lookup must use it to use the index. */
// md5, as sha256 over text needs convert_to, which an index may not use (not IMMUTABLE). Two
// endpoints that collide can only be made together by one party, and only block each other.
const endpointKey = 'md5(endpoint)';

// Each entry upgrades the schema from its index to index + 1. Times are epoch milliseconds in
// bigint, like the SQLite store's, so both stores share one contract to the millisecond.
const migrations: readonly string[] = [
	`CREATE TABLE subscriptions (
		id text PRIMARY KEY,
		token_hash text NOT NULL,
		endpoint text NOT NULL,
		p256dh text NOT NULL,
		auth text NOT NULL
	);
	CREATE TABLE reminders (
		-- A narrow key for claims: "id = ANY(ARRAY(SELECT id …))" locks and updates by it.
		id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
		reminder_id text NOT NULL,
		due_at bigint NOT NULL,
		status text NOT NULL CHECK (status IN ('pending', 'sending', 'retry', 'sent', 'failed')),
		attempts integer NOT NULL DEFAULT 0,
		-- When the reminder may next be claimed: due_at, a retry time, or the lease end.
		next_try_at bigint NOT NULL,
		lease_until bigint,
		last_error text,
		sent_at bigint,
		UNIQUE (subscription_id, reminder_id)
	);
	-- Only the claimable rows: sent and failed ones never slow a claim down.
	CREATE INDEX reminders_claimable ON reminders (next_try_at)
		WHERE status IN ('pending', 'retry', 'sending');`,
	// A finished reminder keeps no instant (docs/privacy.md): due_at becomes nullable, sent_at
	// goes, and next_try_at keeps only the UTC midnight after it finished. One subscription per
	// endpoint, by its hash (a btree entry must stay under ~2.7 kB): of duplicates (orphans of a
	// lost answer) one stays; its phone, if it held another, gets 401 and subscribes again.
	`ALTER TABLE reminders ALTER COLUMN due_at DROP NOT NULL;
	UPDATE reminders SET due_at = NULL, last_error = NULL, lease_until = NULL,
		next_try_at = (COALESCE(sent_at, next_try_at) / 86400000 + 1) * 86400000
	WHERE status IN ('sent', 'failed');
	ALTER TABLE reminders DROP COLUMN sent_at;
	ALTER TABLE subscriptions ADD COLUMN last_seen_at bigint;
	UPDATE subscriptions SET last_seen_at = (extract(epoch FROM now()) * 1000)::bigint;
	ALTER TABLE subscriptions ALTER COLUMN last_seen_at SET NOT NULL;
	DELETE FROM subscriptions s
	WHERE EXISTS (SELECT 1 FROM subscriptions o WHERE o.endpoint = s.endpoint AND o.ctid < s.ctid);
	CREATE UNIQUE INDEX subscriptions_endpoint ON subscriptions (${endpointKey});`
];

// Any constant works; it only has to be the same in every process of this application.
const MIGRATION_LOCK = 0x4166_7463; // "Aftc"

/** How the store connects; the defaults suit a web process and a dispatcher alike. */
export interface PostgresStoreOptions {
	/** `postgres://user:password@host:port/database` */
	connectionString: string;
	/** Connections in this process's pool. Default 10. */
	maxConnections?: number;
	/** How long to wait for a connection before answering "unavailable". Default 3 s. */
	connectTimeoutMs?: number;
	/** The longest a query may take before it is abandoned as "unavailable". Default 5 s. */
	queryTimeoutMs?: number;
}

// bigint (OID 20) arrives as a string by default; epoch milliseconds fit a double exactly.
const types = {
	getTypeParser: ((oid: number, format?: string) =>
		oid === 20
			? Number
			: pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser
};

/**
 * SQLSTATE classes and codes that mean "the database is not there right now", as opposed to a
 * wrong query: connection exceptions (08), shutting down or starting up (57P01–57P03), and too
 * many connections (53300).
 */
function isUnavailable(error: unknown): boolean {
	if (!(error instanceof Error)) {
		return false;
	}
	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string') {
		// SQLSTATEs as above, or Node's socket errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT…).
		return (
			/^08/.test(code) ||
			['57P01', '57P02', '57P03', '53300'].includes(code) ||
			/^E[A-Z]+$/.test(code)
		);
	}
	// pg's own errors carry no code: "Connection terminated unexpectedly", "timeout exceeded when
	// trying to connect", "Query read timeout", "Cannot use a pool after calling end on the pool".
	return /connection terminated|timeout|connection ended|after calling end/i.test(error.message);
}

/**
 * The store for several server processes: PostgreSQL through a `pg` pool. Claims lock rows with
 * `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers in any number of processes take disjoint
 * batches without waiting on each other; a lease (`lease_until`) hands a dead sender's reminders
 * to another after it expires.
 */
export class PostgresStore implements PushStore {
	readonly name = 'postgres';
	readonly #pool: pg.Pool;

	private constructor(pool: pg.Pool) {
		this.#pool = pool;
	}

	/**
	 * Connects and brings the schema up to date. Safe when several processes start together:
	 * migrations run under a transaction-scoped advisory lock, so one process migrates and the
	 * others wait, then find nothing to do.
	 * @throws StoreUnavailableError when the database cannot be reached
	 * @throws Error when the schema is newer than this code
	 */
	static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
		const pool = new pg.Pool({
			connectionString: options.connectionString,
			max: options.maxConnections ?? 10,
			connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
			query_timeout: options.queryTimeoutMs ?? 5_000,
			// Also bound the server side, so an abandoned query does not run on.
			statement_timeout: options.queryTimeoutMs ?? 5_000,
			application_name: 'aftercare-companion',
			types
		});
		// An idle client losing its connection (database restart) must not crash the process.
		pool.on('error', () => {});
		const store = new PostgresStore(pool);
		try {
			await store.#migrate();
		} catch (error) {
			await pool.end();
			throw error;
		}
		return store;
	}

	async #migrate(): Promise<void> {
		await this.#transaction(async (client) => {
			await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
			const { rows } = await client.query<{ version: number }>(
				'SELECT version FROM schema_version'
			);
			const from = rows[0]?.version ?? 0;
			if (from > postgresSchemaVersion) {
				throw new Error(
					`the database has schema version ${from}; this server knows up to ${postgresSchemaVersion}`
				);
			}
			for (let version = from; version < postgresSchemaVersion; version += 1) {
				await client.query(migrations[version] as string);
			}
			if (rows[0]) {
				await client.query('UPDATE schema_version SET version = $1', [postgresSchemaVersion]);
			} else {
				await client.query('INSERT INTO schema_version (version) VALUES ($1)', [
					postgresSchemaVersion
				]);
			}
		});
	}

	/** Runs `work` in one transaction on one connection; rolls back when it throws. */
	async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		const client = await this.#connect();
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			client.release();
			return result;
		} catch (error) {
			// Close the connection instead of sending ROLLBACK: PostgreSQL rolls back a transaction
			// whose connection ends, and a ROLLBACK on a frozen or dead connection would wait out
			// the query timeout once more before the caller hears anything.
			client.release(true);
			throw translate(error);
		}
	}

	async #connect(): Promise<pg.PoolClient> {
		try {
			return await this.#pool.connect();
		} catch (error) {
			throw translate(error);
		}
	}

	async #query<R extends pg.QueryResultRow>(
		text: string,
		values: unknown[] = []
	): Promise<pg.QueryResult<R>> {
		try {
			return await this.#pool.query<R>(text, values);
		} catch (error) {
			throw translate(error);
		}
	}

	async createSubscription(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[],
		now: number
	): Promise<void> {
		await this.#transaction(async (client) => {
			await insertSubscription(client, subscription, now, '');
			await insertReminders(client, subscription.id, reminders);
		});
	}

	async subscribe(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[],
		now: number
	): Promise<SubscribeResult> {
		return this.#transaction(async (client): Promise<SubscribeResult> => {
			// Inserting first settles a race of two first POSTs: one inserts, one renews.
			const inserted = await insertSubscription(
				client,
				subscription,
				now,
				`ON CONFLICT ((${endpointKey})) DO NOTHING`
			);
			if (inserted) {
				await insertReminders(client, subscription.id, reminders);
				return { outcome: 'created', id: subscription.id };
			}
			const holder = await holderOf(client, subscription.endpoint);
			if (!holder || !sameSecret(holder.auth, subscription.auth)) {
				return { outcome: 'conflict' };
			}
			await client.query(
				'UPDATE subscriptions SET token_hash = $2, p256dh = $3, last_seen_at = $4 WHERE id = $1',
				[holder.id, subscription.tokenHash, subscription.p256dh, now]
			);
			await replaceReminders(client, holder.id, reminders, now);
			return { outcome: 'renewed', id: holder.id };
		});
	}

	async replaceSubscription(
		id: string,
		subscription: PushSubscriptionData,
		reminders: ReminderSchedule[],
		now: number
	): Promise<ReplaceResult> {
		return this.#transaction(async (client): Promise<ReplaceResult> => {
			const found = await client.query('SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE', [
				id
			]);
			if (found.rowCount === 0) {
				return 'missing';
			}
			const holder = await holderOf(client, subscription.endpoint);
			if (holder && holder.id !== id) {
				if (!sameSecret(holder.auth, subscription.auth)) {
					return 'conflict';
				}
				await client.query('DELETE FROM subscriptions WHERE id = $1', [holder.id]);
			}
			await client.query(
				`UPDATE subscriptions SET endpoint = $2, p256dh = $3, auth = $4, last_seen_at = $5
				WHERE id = $1`,
				[id, subscription.endpoint, subscription.p256dh, subscription.auth, now]
			);
			await replaceReminders(client, id, reminders, now);
			return 'replaced';
		});
	}

	async deleteSubscription(id: string): Promise<boolean> {
		// Reminders go with it (ON DELETE CASCADE).
		const result = await this.#query('DELETE FROM subscriptions WHERE id = $1', [id]);
		return (result.rowCount ?? 0) > 0;
	}

	async getSubscription(id: string): Promise<StoredSubscription | null> {
		const { rows } = await this.#query<SubscriptionRow>(
			'SELECT * FROM subscriptions WHERE id = $1',
			[id]
		);
		const row = rows[0];
		return row ? toSubscription(row) : null;
	}

	async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
		// One statement, so one implicit transaction: the inner SELECT locks up to `limit` due rows,
		// skipping rows another claim holds, and the UPDATE leases them. `= ANY(ARRAY(…))` runs the
		// inner query once; the `IN (SELECT …)` form was half as fast when measured.
		const { rows } = await this.#query<ClaimedRow>(
			`WITH claimed AS (
				UPDATE reminders SET status = 'sending', lease_until = $2, next_try_at = $2
				WHERE id = ANY(ARRAY(
					SELECT id FROM reminders
					WHERE status IN ('pending', 'retry', 'sending') AND next_try_at <= $1
					ORDER BY next_try_at
					LIMIT $3
					FOR UPDATE SKIP LOCKED
				))
				RETURNING subscription_id, reminder_id, due_at, attempts, lease_until
			)
			SELECT c.subscription_id, c.reminder_id, c.due_at, c.attempts, c.lease_until,
				s.endpoint, s.p256dh, s.auth
			FROM claimed c JOIN subscriptions s ON s.id = c.subscription_id
			ORDER BY c.due_at, c.subscription_id, c.reminder_id`,
			[now, now + leaseMs, limit]
		);
		return rows.map(toClaimed);
	}

	async markSent(deliveries: readonly Delivery[]): Promise<void> {
		if (deliveries.length === 0) {
			return;
		}
		await this.#query(
			`UPDATE reminders r SET status = 'sent', due_at = NULL, next_try_at = d.forget_day,
				attempts = r.attempts + 1, lease_until = NULL, last_error = NULL
			FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
				AS d (subscription_id, reminder_id, forget_day, lease_until)
			WHERE r.subscription_id = d.subscription_id AND r.reminder_id = d.reminder_id
				AND r.status = 'sending' AND r.lease_until = d.lease_until`,
			[
				deliveries.map((delivery) => delivery.subscriptionId),
				deliveries.map((delivery) => delivery.reminderId),
				deliveries.map((delivery) => forgetDay(delivery.sentAt)),
				deliveries.map((delivery) => delivery.leaseUntil)
			]
		);
	}

	async markRetry(
		claim: Lease,
		nextTryAt: number,
		attempts: number,
		lastError: string
	): Promise<void> {
		await this.#query(
			`UPDATE reminders SET status = 'retry', next_try_at = $3, attempts = $4, last_error = $5,
				lease_until = NULL
			WHERE subscription_id = $1 AND reminder_id = $2 AND status = 'sending' AND lease_until = $6`,
			[claim.subscriptionId, claim.reminderId, nextTryAt, attempts, lastError, claim.leaseUntil]
		);
	}

	async markFailed(claim: Lease, attempts: number): Promise<void> {
		await this.#query(
			`UPDATE reminders SET status = 'failed', due_at = NULL, next_try_at = $4, attempts = $3,
				last_error = NULL, lease_until = NULL
			WHERE subscription_id = $1 AND reminder_id = $2 AND status = 'sending' AND lease_until = $5`,
			[
				claim.subscriptionId,
				claim.reminderId,
				attempts,
				forgetDay(claim.leaseUntil),
				claim.leaseUntil
			]
		);
	}

	async purgeFinished(before: number, limit: number): Promise<number> {
		// No index for finished rows (one would cost every delivery a write): the oldest sit first
		// in the table, so the scan finds a batch early, once an hour.
		const { rowCount } = await this.#query(
			`DELETE FROM reminders WHERE id = ANY(ARRAY(
				SELECT id FROM reminders
				WHERE status IN ('sent', 'failed') AND next_try_at < $1
				LIMIT $2
				FOR UPDATE SKIP LOCKED
			))`,
			[before, limit]
		);
		return rowCount ?? 0;
	}

	async purgeSubscriptions(
		unseenBefore: number,
		emptySeenBefore: number,
		limit: number
	): Promise<number> {
		// Reminders go with them (ON DELETE CASCADE).
		const { rowCount } = await this.#query(
			`DELETE FROM subscriptions WHERE id = ANY(ARRAY(
				SELECT id FROM subscriptions s
				WHERE last_seen_at < $1 OR (last_seen_at < $2
					AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.subscription_id = s.id))
				LIMIT $3
				FOR UPDATE SKIP LOCKED
			))`,
			[unseenBefore, emptySeenBefore, limit]
		);
		return rowCount ?? 0;
	}

	async listReminders(subscriptionId: string): Promise<ReminderState[]> {
		const { rows } = await this.#query<ReminderRow>(
			`SELECT * FROM reminders WHERE subscription_id = $1
			ORDER BY due_at NULLS FIRST, reminder_id`,
			[subscriptionId]
		);
		return rows.map(toReminderState);
	}

	async ping(): Promise<void> {
		await this.#query('SELECT 1');
	}

	async close(): Promise<void> {
		if (!this.#pool.ended) {
			await this.#pool.end();
		}
	}
}

/**
 * Inserts a subscription, seen at `now`.
 * @param onConflict e.g. `ON CONFLICT … DO NOTHING`, or '' to throw on a taken id or endpoint
 * @returns whether it was inserted
 */
async function insertSubscription(
	client: pg.PoolClient,
	subscription: StoredSubscription,
	now: number,
	onConflict: string
): Promise<boolean> {
	const { rowCount } = await client.query(
		`INSERT INTO subscriptions (id, token_hash, endpoint, p256dh, auth, last_seen_at)
		VALUES ($1, $2, $3, $4, $5, $6) ${onConflict}`,
		[
			subscription.id,
			subscription.tokenHash,
			subscription.endpoint,
			subscription.p256dh,
			subscription.auth,
			now
		]
	);
	return (rowCount ?? 0) > 0;
}

/** The subscription that has `endpoint`, locked, if any. */
async function holderOf(
	client: pg.PoolClient,
	endpoint: string
): Promise<{ id: string; auth: string } | undefined> {
	const { rows } = await client.query<{ id: string; auth: string }>(
		`SELECT id, auth FROM subscriptions
		WHERE ${endpointKey} = md5($1) AND endpoint = $1
		FOR UPDATE`,
		[endpoint]
	);
	return rows[0];
}

/** The reminder set of `replaceSubscription` (see `isMoved`), inside its transaction. */
async function replaceReminders(
	client: pg.PoolClient,
	id: string,
	reminders: ReminderSchedule[],
	now: number
): Promise<void> {
	await client.query(
		'DELETE FROM reminders WHERE subscription_id = $1 AND NOT (reminder_id = ANY($2::text[]))',
		[id, reminders.map((reminder) => reminder.id)]
	);
	// New ones are inserted pending; moved ones start over; unchanged ones keep their state, and
	// finished ones (due_at NULL) stay finished unless now due later than `now`.
	// A repeated id makes ON CONFLICT touch a row twice, which fails the whole transaction.
	await client.query(
		`INSERT INTO reminders (subscription_id, reminder_id, due_at, status, next_try_at)
		SELECT $1, reminder_id, due_at, 'pending', due_at
		FROM unnest($2::text[], $3::bigint[]) AS given (reminder_id, due_at)
		ON CONFLICT (subscription_id, reminder_id) DO UPDATE SET
			due_at = excluded.due_at, status = 'pending', attempts = 0,
			next_try_at = excluded.due_at, lease_until = NULL, last_error = NULL
		WHERE reminders.due_at <> excluded.due_at
			OR (reminders.due_at IS NULL AND excluded.due_at > $4)`,
		[id, reminders.map((reminder) => reminder.id), reminders.map((reminder) => reminder.dueAt), now]
	);
}

/** Inserts a subscription's reminders in one statement (arrays unnested server-side). */
async function insertReminders(
	client: pg.PoolClient,
	subscriptionId: string,
	reminders: ReminderSchedule[]
): Promise<void> {
	if (reminders.length === 0) {
		return;
	}
	await client.query(
		`INSERT INTO reminders (subscription_id, reminder_id, due_at, status, next_try_at)
		SELECT $1, reminder_id, due_at, 'pending', due_at
		FROM unnest($2::text[], $3::bigint[]) AS given (reminder_id, due_at)`,
		[subscriptionId, reminders.map((reminder) => reminder.id), reminders.map((r) => r.dueAt)]
	);
}

/** A connection problem becomes `StoreUnavailableError`; anything else stays as it is. */
function translate(error: unknown): unknown {
	if (error instanceof StoreUnavailableError || !isUnavailable(error)) {
		return error;
	}
	return new StoreUnavailableError(`PostgreSQL is unavailable: ${(error as Error).message}`, {
		cause: error
	});
}
