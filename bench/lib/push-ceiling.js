// The "raw ceiling" of Web Push sending on this machine: web-push's sendNotification in a tight
// loop against the loopback mock push service, with no store, no scheduling and no dispatcher, so
// a dispatcher benchmark has a figure to compare with.
//
//   import { measureCeiling } from './lib/push-ceiling.js';
//   const result = await measureCeiling({ count: 10_000, concurrency: 32, service });
//
// Every message goes to its own subscription (its own endpoint path); all subscriptions share one
// browser key pair, since encryption costs the same whatever the key.
import { Agent } from 'node:https';
import { performance } from 'node:perf_hooks';
import webpush from 'web-push';
import { cpuMicros, cpuPerMessage } from './cpu.js';
import { fakeBrowser, spawnMockPushService } from '../../tests/support/mock-push/index.js';

/**
 * How the messages are sent.
 * - `cached`: keep-alive agent, one VAPID header per push-service origin reused (the sender now)
 * - `keepalive`: keep-alive agent, web-push signs a new VAPID token per message (the sender before)
 * - `naive`: a new TLS connection and a new VAPID token per message
 * @typedef {'cached' | 'keepalive' | 'naive'} CeilingVariant
 */

/** @type {readonly CeilingVariant[]} */
export const ceilingVariants = ['cached', 'keepalive', 'naive'];

/** Messages sent before the measured ones, by default: connections opened, JIT warm. */
export const defaultWarmup = 500;

/**
 * @typedef {object} CeilingOptions
 * @property {number} [count] messages measured (default 10,000)
 * @property {number} [concurrency] messages in flight at once (default 32)
 * @property {CeilingVariant} [variant] default `cached`
 * @property {import('../../tests/support/mock-push/index.js').MockPushService} [service] the mock push service to
 *   send to; default: one spawned in a child process for this call (and stopped after)
 * @property {number} [warmup] messages sent first and not measured: connections, JIT (default
 *   min(500, count))
 * @property {{ publicKey: string, privateKey: string, subject: string }} [vapid] default: new keys
 * @property {{ p256dh: string, auth: string }} [keys] the subscriptions' keys (default: the
 *   service's `keys` when it decrypts, else a new key pair)
 * @property {number} [timeoutMs] per request (default 15,000)
 * @property {string} [pathPrefix] endpoint paths are `${pathPrefix}${index}` (default `/ceiling/`)
 */

/**
 * @typedef {object} CeilingResult
 * @property {CeilingVariant} variant
 * @property {number} count messages measured
 * @property {number} concurrency
 * @property {number} seconds wall time of the measured messages
 * @property {number} perSecond messages per second
 * @property {number} cpuMicrosPerMessage this process's CPU time (user + system) per message
 * @property {{ total: number, main: number, helpers: number } | null} cpu the same, split into
 *   the main thread and the others (V8's compiler and GC, libuv), from /proc (null without it)
 * @property {number} mockCpuMicrosPerMessage the mock push service's CPU time per message
 * @property {number} p50Ms median latency of one message (send to answer)
 * @property {number} p99Ms
 * @property {number} maxMs
 * @property {Record<string, number>} statuses answers by status, as the sender saw them
 * @property {number} errors messages that got no HTTP answer
 * @property {string | null} firstError
 * @property {number} received pushes the mock counted for the measured messages
 * @property {number} distinctPaths subscriptions the mock counted
 */

/**
 * Sends `count` messages (plus a warm-up) and measures the rate.
 * @param {CeilingOptions} [options]
 * @returns {Promise<CeilingResult>}
 */
export async function measureCeiling(options = {}) {
	const count = options.count ?? 10_000;
	const concurrency = options.concurrency ?? 32;
	const variant = options.variant ?? 'cached';
	const warmup = options.warmup ?? Math.min(defaultWarmup, count);
	const timeout = options.timeoutMs ?? 15_000;
	const pathPrefix = options.pathPrefix ?? '/ceiling/';
	if (!Number.isInteger(count) || count < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
		throw new TypeError('count and concurrency must be positive integers');
	}
	if (!ceilingVariants.includes(variant)) {
		throw new TypeError(`variant must be one of ${ceilingVariants.join(', ')}`);
	}
	const ownService = options.service === undefined;
	const service = options.service ?? (await spawnMockPushService());
	const vapid = options.vapid ?? {
		...webpush.generateVAPIDKeys(),
		subject: 'mailto:bench@example-clinic.org'
	};
	const keys = options.keys ?? service.keys ?? fakeBrowser().keys;
	const agent = new Agent({ keepAlive: variant !== 'naive', ca: service.cert });
	const send = makeSender(variant, vapid, agent, timeout);

	try {
		// Warm-up: opens the keep-alive connections, signs the cached header, warms the JIT.
		await runPool(warmup, concurrency, (index) =>
			send(`${service.origin}/warmup${pathPrefix}${index}`, keys, payload(`warmup-${index}`))
		);
		await service.resetStats();

		const latencies = new Float64Array(count);
		/** @type {Map<string, number>} */
		const statuses = new Map();
		let errors = 0;
		/** @type {string | null} */
		let firstError = null;
		const cpuBefore = process.cpuUsage();
		const threadsBefore = [cpuMicros(process.pid)];
		const started = performance.now();
		await runPool(count, concurrency, async (index) => {
			const begin = performance.now();
			const outcome = await send(
				`${service.origin}${pathPrefix}${index}`,
				keys,
				payload(`ceiling-${index}`)
			);
			latencies[index] = performance.now() - begin;
			if (typeof outcome === 'number') {
				statuses.set(String(outcome), (statuses.get(String(outcome)) ?? 0) + 1);
			} else {
				errors += 1;
				firstError ??= outcome.message;
			}
		});
		const seconds = (performance.now() - started) / 1000;
		const cpu = process.cpuUsage(cpuBefore);
		const threadsAfter = [cpuMicros(process.pid)];
		const stats = await service.stats();
		latencies.sort();
		return {
			variant,
			count,
			concurrency,
			seconds,
			perSecond: count / seconds,
			cpuMicrosPerMessage: (cpu.user + cpu.system) / count,
			cpu: cpuPerMessage(threadsBefore, threadsAfter, count),
			mockCpuMicrosPerMessage: stats.cpuMicros / count,
			p50Ms: percentile(latencies, 0.5),
			p99Ms: percentile(latencies, 0.99),
			maxMs: latencies[count - 1] ?? 0,
			statuses: Object.fromEntries(statuses),
			errors,
			firstError,
			received: stats.total,
			distinctPaths: stats.distinctPaths
		};
	} finally {
		agent.destroy();
		if (ownService) {
			await service.close();
		}
	}
}

/**
 * @param {CeilingVariant} variant
 * @param {{ publicKey: string, privateKey: string, subject: string }} vapid
 * @param {Agent} agent
 * @param {number} timeout
 * @returns {(endpoint: string, keys: { p256dh: string, auth: string }, payload: string) =>
 *   Promise<number | Error>} the HTTP status, or the error when there was no answer
 */
function makeSender(variant, vapid, agent, timeout) {
	/** @type {Map<string, { authorization: string, renewAt: number }>} origin → header, as send.ts */
	const headers = new Map();
	const tokenSeconds = 12 * 3600;
	/** @param {string} endpoint */
	const authorizationFor = (endpoint) => {
		const origin = new URL(endpoint).origin;
		const now = Date.now();
		const cached = headers.get(origin);
		if (cached && now < cached.renewAt) {
			return cached.authorization;
		}
		const authorization = webpush.getVapidHeaders(
			origin,
			vapid.subject,
			vapid.publicKey,
			vapid.privateKey,
			'aes128gcm',
			Math.floor(now / 1000) + tokenSeconds
		).Authorization;
		headers.set(origin, { authorization, renewAt: now + (tokenSeconds * 1000) / 2 });
		return authorization;
	};
	/** @type {import('web-push').RequestOptions} */
	const common = { TTL: 3600, topic: 'reminder', urgency: 'normal', timeout, agent };
	return async (endpoint, keys, payload) => {
		/** @type {import('web-push').RequestOptions} */
		const requestOptions =
			variant === 'cached'
				? {
						...common,
						// null: web-push then signs nothing (its types only allow undefined).
						vapidDetails: /** @type {undefined} */ (/** @type {unknown} */ (null)),
						headers: { Authorization: authorizationFor(endpoint) }
					}
				: { ...common, vapidDetails: vapid };
		try {
			const result = await webpush.sendNotification({ endpoint, keys }, payload, requestOptions);
			return result.statusCode;
		} catch (error) {
			if (error instanceof webpush.WebPushError) {
				return error.statusCode;
			}
			return error instanceof Error ? error : new Error(String(error));
		}
	};
}

/** The payload the dispatcher sends (reminderPushPayload), for a realistic size. */
/** @param {string} reminderId */
function payload(reminderId) {
	return JSON.stringify({
		v: 1,
		reminderId,
		title: 'Aftercare reminder',
		body: 'You have a care step due. Open the app to see it.'
	});
}

/**
 * Runs `task(0 … count-1)` with at most `concurrency` at once.
 * @param {number} count
 * @param {number} concurrency
 * @param {(index: number) => Promise<unknown>} task
 */
async function runPool(count, concurrency, task) {
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next;
			next += 1;
			await task(index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** @param {Float64Array} sorted @param {number} fraction */
function percentile(sorted, fraction) {
	if (sorted.length === 0) {
		return 0;
	}
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}
