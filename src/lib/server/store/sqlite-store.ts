import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import {
	forgetDay,
	isMoved,
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

/** How long a write waits for another process's lock before the store counts as unavailable. */
const writeWaitMs = 5_000;

/** The schema this code writes; bump it with a new step in `migrations`. */
export const sqliteSchemaVersion = 3;

// Each entry upgrades the schema from its index to index + 1, inside one transaction.
const migrations: readonly string[] = [
	`CREATE TABLE subscriptions (
		id TEXT PRIMARY KEY,
		token_hash TEXT NOT NULL,
		endpoint TEXT NOT NULL,
		p256dh TEXT NOT NULL,
		auth TEXT NOT NULL
	);
	CREATE TABLE reminders (
		subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
		reminder_id TEXT NOT NULL,
		due_at INTEGER NOT NULL,
		status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'retry', 'sent', 'failed')),
		attempts INTEGER NOT NULL DEFAULT 0,
		-- When the reminder may next be claimed: due_at, a retry time, or the lease end.
		next_try_at INTEGER NOT NULL,
		lease_until INTEGER,
		last_error TEXT,
		sent_at INTEGER,
		PRIMARY KEY (subscription_id, reminder_id)
	) WITHOUT ROWID;
	CREATE INDEX reminders_due ON reminders (status, next_try_at);`,
	// Claims walk only the claimable rows, already in claim order (the index carries the key):
	// with 100,000 due, a claim of 200 took 48 ms sorting them all with the old index, 0.5 ms now.
	`DROP INDEX reminders_due;
	CREATE INDEX reminders_claimable ON reminders (next_try_at)
		WHERE status IN ('pending', 'retry', 'sending');`,
	// A finished reminder keeps no instant (docs/privacy.md): due_at becomes nullable, sent_at
	// goes, and next_try_at keeps only the UTC midnight after it finished. One subscription per
	// endpoint (a duplicate is an orphan of a lost answer: the oldest stays; its phone, if it held
	// the other, gets 401 and subscribes again, renewing it). When each was last seen, from now on.
	`CREATE TABLE reminders_v3 (
		subscription_id TEXT NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
		reminder_id TEXT NOT NULL,
		due_at INTEGER,
		status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'retry', 'sent', 'failed')),
		attempts INTEGER NOT NULL DEFAULT 0,
		next_try_at INTEGER NOT NULL,
		lease_until INTEGER,
		last_error TEXT,
		PRIMARY KEY (subscription_id, reminder_id)
	) WITHOUT ROWID;
	INSERT INTO reminders_v3
		SELECT subscription_id, reminder_id, due_at, status, attempts, next_try_at, lease_until,
			last_error
		FROM reminders WHERE status NOT IN ('sent', 'failed')
		UNION ALL
		SELECT subscription_id, reminder_id, NULL, status, attempts,
			(COALESCE(sent_at, next_try_at) / 86400000 + 1) * 86400000, NULL, NULL
		FROM reminders WHERE status IN ('sent', 'failed');
	DROP TABLE reminders;
	ALTER TABLE reminders_v3 RENAME TO reminders;
	CREATE INDEX reminders_claimable ON reminders (next_try_at)
		WHERE status IN ('pending', 'retry', 'sending');
	ALTER TABLE subscriptions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
	UPDATE subscriptions SET last_seen_at = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
	DELETE FROM subscriptions
		WHERE rowid NOT IN (SELECT min(rowid) FROM subscriptions GROUP BY endpoint);
	CREATE UNIQUE INDEX subscriptions_endpoint ON subscriptions (endpoint);`
];

/** The database was written by a newer version of the server. */
export class StoreVersionError extends Error {
	override name = 'StoreVersionError';
}

/**
 * The embedded store: one SQLite file (WAL mode) through better-sqlite3. Its calls are
 * synchronous, so each method is one atomic step of this process; `BEGIN IMMEDIATE` keeps claims
 * atomic even if a second process opens the same file.
 */
export class SqliteStore implements PushStore {
	readonly name = 'sqlite';
	readonly #db: Database.Database;
	/** Prepared statements by SQL text: preparing one costs more than running it. */
	readonly #statements = new Map<string, Database.Statement>();

	/**
	 * Opens (creating when needed) the database file and brings its schema up to date.
	 * @param path the file, e.g. `DATA_DIR/aftercare.sqlite`, or `:memory:`
	 */
	constructor(path: string) {
		if (path !== ':memory:') {
			mkdirSync(dirname(path), { recursive: true });
			// Create the file private (an empty file is an empty database); SQLite gives its -wal
			// and -shm files the same permissions.
			closeSync(openSync(path, 'a', 0o600));
		}
		this.#db = new Database(path);
		this.#db.pragma('journal_mode = WAL');
		// In WAL mode NORMAL never corrupts the file; a power cut may forget the last commits (a
		// reminder marked sent may then be sent again), and commits skip an fsync each.
		this.#db.pragma('synchronous = NORMAL');
		this.#db.pragma('foreign_keys = ON');
		// Waits for another process's migration at start; afterwards writes wait asynchronously
		// (#write), since better-sqlite3's busy wait would block this process's event loop.
		this.#db.pragma('busy_timeout = 5000');
		this.#migrate();
		this.#db.pragma('busy_timeout = 0');
	}

	#migrate(): void {
		const db = this.#db;
		db.transaction(() => {
			db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
			const row = db.prepare('SELECT version FROM schema_version').get() as
				{ version: number } | undefined;
			const from = row?.version ?? 0;
			if (from > sqliteSchemaVersion) {
				throw new StoreVersionError(
					`the database has schema version ${from}; this server knows up to ${sqliteSchemaVersion}`
				);
			}
			for (let version = from; version < sqliteSchemaVersion; version += 1) {
				db.exec(migrations[version] as string);
			}
			if (row) {
				db.prepare('UPDATE schema_version SET version = ?').run(sqliteSchemaVersion);
			} else {
				db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(sqliteSchemaVersion);
			}
		}).immediate();
	}

	/** The statement for `sql`, prepared on first use and then kept. */
	#prepare(sql: string): Database.Statement {
		let statement = this.#statements.get(sql);
		if (!statement) {
			statement = this.#db.prepare(sql);
			this.#statements.set(sql, statement);
		}
		return statement;
	}

	/**
	 * Runs `work` in a write transaction (BEGIN IMMEDIATE). When another process holds the write
	 * lock, waits a few milliseconds without blocking and tries again, for up to 5 s; then the
	 * store counts as unavailable.
	 */
	async #write<T>(work: () => T): Promise<T> {
		const started = Date.now();
		for (let attempt = 1; ; attempt += 1) {
			try {
				return this.#db.transaction(work).immediate();
			} catch (error) {
				const busy = (error as { code?: string }).code === 'SQLITE_BUSY';
				if (!busy) {
					throw error;
				}
				if (Date.now() - started > writeWaitMs) {
					throw new StoreUnavailableError(
						`SQLite stayed locked by another process for ${writeWaitMs / 1000} s`
					);
				}
				await new Promise((resolve) => setTimeout(resolve, Math.min(attempt, 10)));
			}
		}
	}

	async createSubscription(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[],
		now: number
	): Promise<void> {
		await this.#write(() => this.#create(subscription, reminders, now));
	}

	#create(subscription: StoredSubscription, reminders: ReminderSchedule[], now: number): void {
		this.#prepare(
			`INSERT INTO subscriptions (id, token_hash, endpoint, p256dh, auth, last_seen_at)
			VALUES (@id, @tokenHash, @endpoint, @p256dh, @auth, @now)`
		).run({ ...subscription, now });
		const insert = this.#insertReminder();
		for (const reminder of reminders) {
			insert.run({
				subscriptionId: subscription.id,
				reminderId: reminder.id,
				dueAt: reminder.dueAt
			});
		}
	}

	async subscribe(
		subscription: StoredSubscription,
		reminders: ReminderSchedule[],
		now: number
	): Promise<SubscribeResult> {
		return this.#write((): SubscribeResult => {
			const holder = this.#holderOf(subscription.endpoint);
			if (!holder) {
				this.#create(subscription, reminders, now);
				return { outcome: 'created', id: subscription.id };
			}
			if (!sameSecret(holder.auth, subscription.auth)) {
				return { outcome: 'conflict' };
			}
			this.#prepare(
				'UPDATE subscriptions SET token_hash = ?, p256dh = ?, last_seen_at = ? WHERE id = ?'
			).run(subscription.tokenHash, subscription.p256dh, now, holder.id);
			this.#replaceReminders(holder.id, reminders, now);
			return { outcome: 'renewed', id: holder.id };
		});
	}

	/** The subscription that has `endpoint`, if any. */
	#holderOf(endpoint: string): { id: string; auth: string } | undefined {
		return this.#prepare('SELECT id, auth FROM subscriptions WHERE endpoint = ?').get(endpoint) as
			{ id: string; auth: string } | undefined;
	}

	#insertReminder(): Database.Statement {
		return this.#prepare(
			`INSERT INTO reminders (subscription_id, reminder_id, due_at, status, next_try_at)
			VALUES (@subscriptionId, @reminderId, @dueAt, 'pending', @dueAt)`
		);
	}

	async replaceSubscription(
		id: string,
		subscription: PushSubscriptionData,
		reminders: ReminderSchedule[],
		now: number
	): Promise<ReplaceResult> {
		return this.#write((): ReplaceResult => {
			if (!this.#prepare('SELECT 1 FROM subscriptions WHERE id = ?').get(id)) {
				return 'missing';
			}
			const holder = this.#holderOf(subscription.endpoint);
			if (holder && holder.id !== id) {
				if (!sameSecret(holder.auth, subscription.auth)) {
					return 'conflict';
				}
				this.#prepare('DELETE FROM subscriptions WHERE id = ?').run(holder.id);
			}
			this.#prepare(
				'UPDATE subscriptions SET endpoint = ?, p256dh = ?, auth = ?, last_seen_at = ? WHERE id = ?'
			).run(subscription.endpoint, subscription.p256dh, subscription.auth, now, id);
			this.#replaceReminders(id, reminders, now);
			return 'replaced';
		});
	}

	/** The reminder set of `replaceSubscription`, inside its transaction. */
	#replaceReminders(id: string, reminders: ReminderSchedule[], now: number): void {
		const existing = new Map(
			(
				this.#prepare('SELECT reminder_id, due_at FROM reminders WHERE subscription_id = ?').all(
					id
				) as { reminder_id: string; due_at: number | null }[]
			).map((row) => [row.reminder_id, row.due_at])
		);
		const keep = new Set<string>();
		const insert = this.#insertReminder();
		const reset = this.#prepare(
			`UPDATE reminders SET due_at = @dueAt, status = 'pending', attempts = 0,
					next_try_at = @dueAt, lease_until = NULL, last_error = NULL
				WHERE subscription_id = @subscriptionId AND reminder_id = @reminderId`
		);
		for (const reminder of reminders) {
			const params = { subscriptionId: id, reminderId: reminder.id, dueAt: reminder.dueAt };
			if (!existing.has(reminder.id)) {
				insert.run(params);
			} else if (isMoved(existing.get(reminder.id) ?? null, reminder.dueAt, now)) {
				reset.run(params);
			}
			keep.add(reminder.id);
		}
		const remove = this.#prepare(
			'DELETE FROM reminders WHERE subscription_id = ? AND reminder_id = ?'
		);
		for (const reminderId of existing.keys()) {
			if (!keep.has(reminderId)) {
				remove.run(id, reminderId);
			}
		}
	}

	async deleteSubscription(id: string): Promise<boolean> {
		// Reminders go with it (ON DELETE CASCADE).
		return this.#write(
			() => this.#prepare('DELETE FROM subscriptions WHERE id = ?').run(id).changes > 0
		);
	}

	async getSubscription(id: string): Promise<StoredSubscription | null> {
		const row = this.#prepare('SELECT * FROM subscriptions WHERE id = ?').get(id) as
			SubscriptionRow | undefined;
		return row ? toSubscription(row) : null;
	}

	async claimDue(now: number, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
		const leaseUntil = now + leaseMs;
		return this.#write(() => {
			const rows = this.#prepare(
				`SELECT r.subscription_id, r.reminder_id, r.due_at, r.attempts,
							s.endpoint, s.p256dh, s.auth
						FROM reminders r JOIN subscriptions s ON s.id = r.subscription_id
						WHERE r.status IN ('pending', 'retry', 'sending') AND r.next_try_at <= ?
						ORDER BY r.next_try_at, r.subscription_id, r.reminder_id
						LIMIT ?`
			).all(now, limit) as Omit<ClaimedRow, 'lease_until'>[];
			const lease = this.#prepare(
				`UPDATE reminders SET status = 'sending', lease_until = ?, next_try_at = ?
					WHERE subscription_id = ? AND reminder_id = ?`
			);
			for (const row of rows) {
				lease.run(leaseUntil, leaseUntil, row.subscription_id, row.reminder_id);
			}
			return rows.map((row) => toClaimed({ ...row, lease_until: leaseUntil }));
		});
	}

	async markSent(deliveries: readonly Delivery[]): Promise<void> {
		const mark = this.#prepare(
			`UPDATE reminders SET status = 'sent', due_at = NULL, next_try_at = ?,
				attempts = attempts + 1, lease_until = NULL, last_error = NULL
			WHERE subscription_id = ? AND reminder_id = ? AND status = 'sending' AND lease_until = ?`
		);
		await this.#write(() => {
			for (const delivery of deliveries) {
				mark.run(
					forgetDay(delivery.sentAt),
					delivery.subscriptionId,
					delivery.reminderId,
					delivery.leaseUntil
				);
			}
		});
	}

	async markRetry(
		claim: Lease,
		nextTryAt: number,
		attempts: number,
		lastError: string
	): Promise<void> {
		await this.#write(() =>
			this.#prepare(
				`UPDATE reminders SET status = 'retry', next_try_at = ?, attempts = ?, last_error = ?,
					lease_until = NULL
				WHERE subscription_id = ? AND reminder_id = ? AND status = 'sending' AND lease_until = ?`
			).run(
				nextTryAt,
				attempts,
				lastError,
				claim.subscriptionId,
				claim.reminderId,
				claim.leaseUntil
			)
		);
	}

	async markFailed(claim: Lease, attempts: number): Promise<void> {
		await this.#write(() =>
			this.#prepare(
				`UPDATE reminders SET status = 'failed', due_at = NULL, next_try_at = ?, attempts = ?,
					last_error = NULL, lease_until = NULL
				WHERE subscription_id = ? AND reminder_id = ? AND status = 'sending' AND lease_until = ?`
			).run(
				forgetDay(claim.leaseUntil),
				attempts,
				claim.subscriptionId,
				claim.reminderId,
				claim.leaseUntil
			)
		);
	}

	async purgeFinished(before: number, limit: number): Promise<number> {
		return this.#write(
			() =>
				this.#prepare(
					`DELETE FROM reminders WHERE (subscription_id, reminder_id) IN (
						SELECT subscription_id, reminder_id FROM reminders
						WHERE status IN ('sent', 'failed') AND next_try_at < ?
						LIMIT ?
					)`
				).run(before, limit).changes
		);
	}

	async purgeSubscriptions(
		unseenBefore: number,
		emptySeenBefore: number,
		limit: number
	): Promise<number> {
		// Reminders go with them (ON DELETE CASCADE).
		return this.#write(
			() =>
				this.#prepare(
					`DELETE FROM subscriptions WHERE id IN (
						SELECT id FROM subscriptions s
						WHERE last_seen_at < @unseenBefore OR (last_seen_at < @emptySeenBefore
							AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.subscription_id = s.id))
						LIMIT @limit
					)`
				).run({ unseenBefore, emptySeenBefore, limit }).changes
		);
	}

	async listReminders(subscriptionId: string): Promise<ReminderState[]> {
		const rows = this.#prepare(
			`SELECT * FROM reminders WHERE subscription_id = ?
			ORDER BY due_at NULLS FIRST, reminder_id`
		).all(subscriptionId) as ReminderRow[];
		return rows.map(toReminderState);
	}

	async ping(): Promise<void> {
		this.#prepare('SELECT 1').get();
	}

	async close(): Promise<void> {
		if (this.#db.open) {
			this.#db.close();
		}
	}
}
