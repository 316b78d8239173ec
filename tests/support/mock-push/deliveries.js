// The record of what the mock push service received and answered: pushes per status and per
// endpoint path, pushes in flight, CPU used, and (when it decrypts) deliveries per reminder id,
// which is how the tests and benchmarks count reminders sent once, twice or never.

/**
 * What the service counted since it started (or since `resetStats`).
 * @typedef {object} MockStats
 * @property {number} total push requests received (control requests excluded)
 * @property {number} bytes request body bytes received
 * @property {Record<string, number>} byStatus answers by status code
 * @property {number} distinctPaths how many different endpoint paths (subscriptions) were pushed to
 * @property {Record<string, number>} [paths] requests per path (only with `{ detail: true }`)
 * @property {number[]} [answeredAt] when each 2xx answer was sent (only with `{ detail: true }`):
 *   the store keeps no send times (docs/privacy.md)
 * @property {number} inFlight pushes received and not yet answered
 * @property {number} maxInFlight the most pushes in flight at once
 * @property {number} aborted pushes whose connection closed before the answer was sent
 * @property {number | null} firstAt time of the first push (ms since the epoch)
 * @property {number | null} lastAt time of the last answer
 * @property {number} cpuMicros CPU time (user + system) the mock's process used since the counters
 *   started: shows whether the mock, not the sender, was the bottleneck
 * @property {number} decryptErrors bodies that did not decrypt (only when decrypting)
 * @property {number} vapidErrors pushes refused with 401 for a bad VAPID header (only when verifying)
 * @property {number} vapidTokens distinct VAPID Authorization headers seen (only when verifying)
 * @property {ReminderStats | null} reminders per reminder id (only when decrypting)
 */

/**
 * Deliveries by reminder id: "delivered" means the push service answered 2xx.
 * @typedef {object} ReminderStats
 * @property {number} ids distinct reminder ids seen
 * @property {number} delivered distinct reminder ids delivered at least once
 * @property {number} deliveries 2xx answers to pushes that carried a reminder id
 * @property {number} attempts pushes that carried a reminder id, whatever the answer
 * @property {{ id: string, delivered: number }[]} duplicates ids delivered more than once (first 100)
 * @property {number} duplicateCount how many ids were delivered more than once
 * @property {Record<string, { attempts: number, delivered: number }>} [byId] only with `{ detail: true }`
 */

/** @typedef {ReturnType<typeof newDeliveryRecord>} DeliveryRecord the live counters */

/** Fresh counters, CPU measured from now. */
export function newDeliveryRecord() {
	return {
		total: 0,
		bytes: 0,
		/** @type {Map<number, number>} */
		byStatus: new Map(),
		/** @type {Map<string, number>} */
		paths: new Map(),
		inFlight: 0,
		maxInFlight: 0,
		aborted: 0,
		/** @type {number | null} */
		firstAt: null,
		/** @type {number | null} */
		lastAt: null,
		/** @type {number[]} */
		answeredAt: [],
		cpu: process.cpuUsage(),
		decryptErrors: 0,
		vapidErrors: 0,
		/** @type {Set<string>} */
		vapidTokens: new Set(),
		/** @type {Map<string, { attempts: number, delivered: number }>} */
		reminders: new Map()
	};
}

/**
 * Counts a push that arrived.
 * @param {DeliveryRecord} record
 * @param {string} path the endpoint path (names the subscription)
 * @param {number} bytes its body's size
 */
export function recordArrival(record, path, bytes) {
	record.total += 1;
	record.bytes += bytes;
	record.firstAt ??= Date.now();
	record.paths.set(path, (record.paths.get(path) ?? 0) + 1);
}

/**
 * Counts a push that carried a reminder id, delivered when `status` is 2xx.
 * @param {DeliveryRecord} record
 * @param {string} id
 * @param {number} status the answer it gets
 */
export function recordReminder(record, id, status) {
	const entry = record.reminders.get(id) ?? { attempts: 0, delivered: 0 };
	entry.attempts += 1;
	if (isSuccess(status)) {
		entry.delivered += 1;
	}
	record.reminders.set(id, entry);
}

/**
 * Counts an answer sent.
 * @param {DeliveryRecord} record
 * @param {number} status
 */
export function recordAnswer(record, status) {
	record.byStatus.set(status, (record.byStatus.get(status) ?? 0) + 1);
	record.lastAt = Date.now();
	if (isSuccess(status)) {
		record.answeredAt.push(record.lastAt);
	}
}

/**
 * The counters as plain JSON.
 * @param {DeliveryRecord} record
 * @param {{ decrypting: boolean, detail?: boolean }} options `decrypting`: report per reminder id;
 *   `detail`: include per-path, per-id and answer-time lists
 * @returns {MockStats}
 */
export function summarize(record, { decrypting, detail = false }) {
	/** @type {ReminderStats | null} */
	let reminders = null;
	if (decrypting) {
		let delivered = 0;
		let deliveries = 0;
		let attempts = 0;
		/** @type {{ id: string, delivered: number }[]} */
		const duplicates = [];
		let duplicateCount = 0;
		for (const [id, entry] of record.reminders) {
			attempts += entry.attempts;
			deliveries += entry.delivered;
			if (entry.delivered > 0) {
				delivered += 1;
			}
			if (entry.delivered > 1) {
				duplicateCount += 1;
				if (duplicates.length < 100) {
					duplicates.push({ id, delivered: entry.delivered });
				}
			}
		}
		reminders = {
			ids: record.reminders.size,
			delivered,
			deliveries,
			attempts,
			duplicates,
			duplicateCount,
			...(detail ? { byId: Object.fromEntries(record.reminders) } : {})
		};
	}
	const cpu = process.cpuUsage(record.cpu);
	return {
		total: record.total,
		bytes: record.bytes,
		byStatus: Object.fromEntries(record.byStatus),
		distinctPaths: record.paths.size,
		...(detail ? { paths: Object.fromEntries(record.paths), answeredAt: record.answeredAt } : {}),
		inFlight: record.inFlight,
		maxInFlight: record.maxInFlight,
		aborted: record.aborted,
		firstAt: record.firstAt,
		lastAt: record.lastAt,
		cpuMicros: cpu.user + cpu.system,
		decryptErrors: record.decryptErrors,
		vapidErrors: record.vapidErrors,
		vapidTokens: record.vapidTokens.size,
		reminders
	};
}

/**
 * The default way to read a reminder id from a decrypted payload: JSON `reminderId`, else `id`.
 * @param {string} plaintext
 * @returns {string | null}
 */
export function defaultIdOf(plaintext) {
	try {
		const value = JSON.parse(plaintext);
		const id = value?.reminderId ?? value?.id;
		return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
	} catch {
		return null;
	}
}

/** @param {number} status */
function isSuccess(status) {
	return status >= 200 && status < 300;
}
