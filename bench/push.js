// `npm run bench:push`: where the time goes when thousands of reminders fall due at once.
//
// In one run, against one loopback mock push service running in its own process:
// 1. The raw ceiling: web-push in a tight loop (keep-alive, one VAPID header per origin), at
//    several concurrencies; the best is the ceiling.
//    The ceiling is measured again right before and after each wave below (the machine's speed
//    drifts) and the wave is compared with their mean. The ceiling runs in this process, which
//    has sent tens of thousands of messages by then, and leaves out its first 500 of each
//    measurement: its code is compiled and its connections open.
// 2. The dispatcher end to end, on the embedded store and on PostgreSQL, in two waves of
//    `--count` reminders. For each wave `--count` patients subscribe through the real API
//    (`node build`, one reminder each due at the same instant T and four more on later days);
//    at T the standalone dispatcher (`build/dispatcher/index.js`) sends them. Wave 1 goes to
//    dispatcher processes just started, so it includes opening connections and compiling code;
//    wave 2 to the same processes, now warm like the ceiling's and like a dispatcher that has
//    been running. Printed for each: reminders/second (first to last send), the ratio to the
//    ceiling, p50/p99 delay from T to the push service's answer (the store keeps no send times),
//    whether all were sent
//    within a minute of T, and CPU per message (dispatcher, ceiling, and the mock push service
//    in both; main thread and other threads, from /proc).
// 3. An API load run (autocannon, bounded in time) for subscribe (POST) and update (PUT) on each
//    store: requests/second, p99 latency, errors.
//
// Flags: --count N (default 10,000), --ceiling-count N (default = count), --api-seconds S
// (default 10), --dispatchers N (dispatcher processes, default 1), --rounds N (dispatcher runs per
// store, each between its own ceilings; the median ratio is printed), --skip-running (the first
// wave only), --skip-postgres, --skip-sqlite, --skip-api, --profile DIR. Figures are printed,
// never asserted; the exit code is non-zero only when something did not work (a reminder not
// sent, an error).
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import webpush from 'web-push';
import { startBuilt } from '../tests/support/built-process.js';
import { cpuMicros, cpuPerMessage } from './lib/cpu.js';
import { measureCeiling } from './lib/push-ceiling.js';
import { fakeBrowser, spawnMockPushService } from '../tests/support/mock-push/index.js';
import { startPostgres } from '../tests/support/postgres.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
/** @param {string} name @param {number} fallback */
const numberFlag = (name, fallback) => {
	const index = argv.indexOf(name);
	return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const count = numberFlag('--count', 10_000);
const ceilingCount = numberFlag('--ceiling-count', count);
const apiSeconds = numberFlag('--api-seconds', 10);
const dispatcherCount = numberFlag('--dispatchers', 1);
const rounds = numberFlag('--rounds', 1);
const skip = (/** @type {string} */ what) => argv.includes(`--skip-${what}`);
// --profile DIR: the dispatcher processes write a V8 CPU profile there (open it in Chrome DevTools).
const profileDir = argv.includes('--profile') ? argv[argv.indexOf('--profile') + 1] : null;
const concurrencies = [8, 32, 64];
// Wave 0 goes to dispatchers just started; wave 1 to the same dispatchers once they have sent
// wave 0, as a dispatcher that has been running for a while (`--skip-running`: wave 0 only).
const waves = /** @type {(0 | 1)[]} */ (skip('running') ? [0] : [0, 1]);
const waveNames = /** @type {const} */ (['just started', 'already running']);

if (!existsSync(join(root, 'build', 'dispatcher', 'index.js'))) {
	console.error('No build: run `npm run build` first (npm run bench:push does).');
	process.exit(2);
}

/** Everything to undo at the end, newest first. */
const cleanups = [];
let failed = false;

/**
 * Starts a module of the build and waits until it prints `ready`; stopped at the end of the run.
 * @param {string} module
 * @param {Record<string, string>} env
 * @param {string} ready
 * @param {string[]} [nodeArgs]
 */
async function start(module, env, ready, nodeArgs = []) {
	const child = await startBuilt(module, { env, ready, cwd: root, nodeArgs, timeoutMs: 60_000 });
	cleanups.push(child.stop);
	return child;
}

/**
 * @typedef {{ total: number, main: number, helpers: number }} CpuPerMessage
 * @param {CpuPerMessage | null} a
 * @param {CpuPerMessage | null} b
 * @returns {CpuPerMessage | null}
 */
const meanCpu = (a, b) =>
	a && b
		? {
				total: (a.total + b.total) / 2,
				main: (a.main + b.main) / 2,
				helpers: (a.helpers + b.helpers) / 2
			}
		: null;

/** @param {CpuPerMessage} cpu */
const describeCpu = (cpu) =>
	`${cpu.main.toFixed(0)} + ${cpu.helpers.toFixed(0)} = ${cpu.total.toFixed(0)}`;

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * Subscribes `n` patients through the API, numbered from `first`, each with one reminder due at
 * `dueAt` and four more on the following days.
 * @param {string} url the web server
 * @param {string} origin the mock push service
 * @param {number} dueAt
 * @param {number} n
 * @param {number} first
 */
async function subscribeAll(url, origin, dueAt, n, first) {
	const browser = fakeBrowser();
	const day = 86_400_000;
	let next = first;
	const worker = async () => {
		for (let index = next++; index < first + n; index = next++) {
			const response = await fetch(`${url}/api/push/subscriptions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					subscription: browser.subscription(`${origin}/patient/${index}`),
					reminders: [0, 1, 2, 3, 4].map((days) => ({
						id: `reminder-${index}-${days}`,
						at: new Date(dueAt + days * day).toISOString()
					}))
				})
			});
			if (response.status !== 201) {
				throw new Error(`subscribe answered ${response.status}: ${await response.text()}`);
			}
		}
	};
	await Promise.all(Array.from({ length: 16 }, worker));
}

/**
 * How many of the reminders due at `dueAt` the store recorded as sent. Sent reminders keep no
 * instant (docs/privacy.md): those of wave `wave` are the `reminder-<n>-0` of its patients.
 * @param {'sqlite' | 'postgres'} kind
 * @param {string} where the SQLite file or the PostgreSQL URL
 * @param {0 | 1} wave
 * @returns {Promise<{ sent: number, total: number }>}
 */
async function sentCount(kind, where, wave) {
	const query = `SELECT status FROM reminders WHERE reminder_id LIKE 'reminder-%-0'
		AND CAST(substr(reminder_id, 10, length(reminder_id) - 11) AS INTEGER) / ${count} = ${wave}`;
	/** @param {{ status: string }[]} rows */
	const tally = (rows) => ({
		total: rows.length,
		sent: rows.filter((row) => row.status === 'sent').length
	});
	if (kind === 'sqlite') {
		const db = new Database(where, { readonly: true });
		try {
			return tally(/** @type {{ status: string }[]} */ (db.prepare(query).all()));
		} finally {
			db.close();
		}
	}
	const client = new pg.Client({ connectionString: where });
	await client.connect();
	try {
		return tally((await client.query(query)).rows);
	} finally {
		await client.end();
	}
}

/**
 * Moves the reminders due at `from` to `to`, as if the patients had chosen that time.
 * @param {'sqlite' | 'postgres'} kind
 * @param {string} where the SQLite file or the PostgreSQL URL
 * @param {number} from
 * @param {number} to
 */
async function moveDue(kind, where, from, to) {
	const sql = `UPDATE reminders SET due_at = ${to}, next_try_at = ${to} WHERE due_at = ${from}`;
	if (kind === 'sqlite') {
		const db = new Database(where);
		try {
			db.pragma('busy_timeout = 5000');
			db.exec(sql);
		} finally {
			db.close();
		}
		return;
	}
	const client = new pg.Client({ connectionString: where });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

/**
 * A new empty store of `kind` (PostgreSQL with its normal durability, fsync on, as in
 * production) and the environment for processes that use it and the mock push service.
 * @param {'sqlite' | 'postgres'} kind
 * @param {import('../tests/support/mock-push/index.js').MockPushService} mock
 * @param {Record<string, string>} extra
 * @returns {Promise<{ env: Record<string, string>, where: string }>} `where`: the SQLite file or
 *   the PostgreSQL URL
 */
async function freshStore(kind, mock, extra) {
	const dataDir = mkdtempSync(join(tmpdir(), `aftercare-bench-${kind}-`));
	cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
	const keys = webpush.generateVAPIDKeys();
	/** @type {Record<string, string>} */
	const env = {
		DATA_DIR: dataDir,
		VAPID_PUBLIC_KEY: keys.publicKey,
		VAPID_PRIVATE_KEY: keys.privateKey,
		VAPID_SUBJECT: 'mailto:bench@example-clinic.org',
		PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
		NODE_EXTRA_CA_CERTS: mock.certPath,
		// One client subscribing thousands of patients: measure throughput, not the rate limit.
		SUBSCRIBE_RATE_PER_MINUTE: '0',
		API_RATE_PER_MINUTE: '0',
		...extra
	};
	if (kind === 'sqlite') {
		return { env, where: join(dataDir, 'aftercare.sqlite') };
	}
	const database = await startPostgres({ durable: true });
	cleanups.push(() => database.remove());
	env.DATABASE_URL = database.url;
	return { env, where: database.url };
}

/**
 * The dispatcher end to end on one store. Subscribes two waves of `count` patients (one reminder
 * each due at the wave's instant, four more on later days) and starts the dispatchers, idle; the
 * returned `wave(n)` makes wave n due 2 s later and measures its sending, and `stop()` ends the
 * dispatchers. Splitting it so lets the ceilings be measured right around each wave.
 * @param {'sqlite' | 'postgres'} kind
 * @param {import('../tests/support/mock-push/index.js').MockPushService} mock
 * @param {number} concurrency
 */
async function prepareDispatcher(kind, mock, concurrency) {
	const { env, where } = await freshStore(kind, mock, {
		DISPATCH_INTERVAL_SECONDS: '1',
		DISPATCH_CONCURRENCY: String(concurrency)
	});
	const web = await start(
		'build',
		{ ...env, HOST: '127.0.0.1', PORT: '4330', DISPATCHER: 'off' },
		'Listening on'
	);

	// Subscribed for tomorrow (wave 0) and an hour later (wave 1), then moved in the store to the
	// instant the wave is measured: all `count` fall due at once, however long subscribing took.
	const seedStarted = Date.now();
	const tomorrow = Math.ceil((Date.now() + 86_400_000) / 1000) * 1000;
	const seededFor = [tomorrow, tomorrow + 3_600_000];
	for (const wave of waves) {
		await subscribeAll(
			'http://127.0.0.1:4330',
			mock.origin,
			seededFor[wave] ?? NaN,
			count,
			wave * count
		);
	}
	const seedSeconds = (Date.now() - seedStarted) / 1000;
	await web.stop();
	const dispatchers = await Promise.all(
		Array.from({ length: dispatcherCount }, () =>
			start(
				'build/dispatcher/index.js',
				env,
				'Dispatcher: sending',
				profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
			)
		)
	);
	return {
		seedSeconds,
		/** @param {0 | 1} index */
		wave: (index) => measureWave(kind, where, index, seededFor[index] ?? NaN, dispatchers, mock),
		stop: () => Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()))
	};
}

/**
 * Makes `count` reminders due 2 s from now, waits until the push service got them all, and
 * measures how the dispatchers sent them.
 * @param {'sqlite' | 'postgres'} kind
 * @param {string} where the SQLite file or the PostgreSQL URL
 * @param {0 | 1} wave which wave
 * @param {number} seededFor when the reminders were subscribed for
 * @param {Awaited<ReturnType<typeof start>>[]} dispatchers
 * @param {import('../tests/support/mock-push/index.js').MockPushService} mock
 */
async function measureWave(kind, where, wave, seededFor, dispatchers, mock) {
	await mock.resetStats();
	const cpuBefore = dispatchers.map((dispatcher) => cpuMicros(dispatcher.pid));
	const dueAt = Date.now() + 2000;
	await moveDue(kind, where, seededFor, dueAt);

	// Watch the push service (cheap, another process), not the store, to leave the store alone.
	const deadline = dueAt + 120_000;
	while (Date.now() < deadline && (await mock.stats()).total < count) {
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	// The last deliveries are recorded at the end of their round.
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const cpuAfter = dispatchers.map((dispatcher) => cpuMicros(dispatcher.pid));
	const recorded = await sentCount(kind, where, wave);
	const stats = await mock.stats({ detail: true });
	// When the push service answered each: the store keeps no send times (docs/privacy.md).
	const sorted = [...(stats.answeredAt ?? [])].sort((a, b) => a - b);
	const delays = sorted.map((at) => at - dueAt);
	const first = sorted[0] ?? NaN;
	const last = sorted[sorted.length - 1] ?? NaN;
	const all = recorded.sent === count && recorded.total === count;
	if (!all || stats.total !== count) {
		failed = true;
		console.error(
			`${kind}: ${recorded.sent} of ${count} recorded as sent; the push service got ${stats.total}`
		);
	}
	// The rate over each fifth of the sends, in send order: shows a start-up that is slower.
	const fifth = Math.floor(sorted.length / 5);
	const fifths = [0, 1, 2, 3, 4].map((index) => {
		const from = index * fifth;
		const to = index === 4 ? sorted.length - 1 : from + fifth;
		return (to - from) / Math.max(((sorted[to] ?? NaN) - (sorted[from] ?? NaN)) / 1000, 0.001);
	});
	return {
		perSecond: sorted.length / Math.max((last - first) / 1000, 0.001),
		fifths,
		cpu: cpuPerMessage(cpuBefore, cpuAfter, count),
		// The mock counts its own CPU since `resetStats`, as for the ceiling.
		mockCpuMicrosPerMessage: stats.cpuMicros / count,
		p50: quantile(delays, 0.5),
		p99: quantile(delays, 0.99),
		lastMs: delays[delays.length - 1] ?? NaN,
		withinMinute: all && (delays[delays.length - 1] ?? Infinity) <= 60_000
	};
}

/**
 * autocannon against subscribe (POST) and update (PUT) on a fresh server over `kind`.
 * @param {'sqlite' | 'postgres'} kind
 * @param {import('../tests/support/mock-push/index.js').MockPushService} mock
 */
async function measureApi(kind, mock) {
	const { env } = await freshStore(kind, mock, {
		HOST: '127.0.0.1',
		PORT: '4331',
		DISPATCHER: 'off'
	});
	const web = await start('build', env, 'Listening on');
	const url = 'http://127.0.0.1:4331';
	const browser = fakeBrowser();
	const later = Date.now() + 86_400_000;
	// A patient's plan: 60 reminders over the weeks of recovery.
	const body = JSON.stringify({
		subscription: browser.subscription(`${mock.origin}/api-load`),
		reminders: Array.from({ length: 60 }, (_, i) => ({
			id: `reminder-${i}`,
			at: new Date(later + i * 3_600_000).toISOString()
		}))
	});
	const created = await fetch(`${url}/api/push/subscriptions`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body
	});
	const { id, token } = /** @type {{ id: string, token: string }} */ (await created.json());

	let posted = 0;
	/** @param {'POST' | 'PUT'} method */
	const run = async (method) => {
		const result = await autocannon({
			url:
				method === 'POST' ? `${url}/api/push/subscriptions` : `${url}/api/push/subscriptions/${id}`,
			method,
			connections: 16,
			duration: apiSeconds,
			headers: {
				'content-type': 'application/json',
				...(method === 'PUT' ? { authorization: `Bearer ${token}` } : {})
			},
			body,
			// Each POST for an endpoint of its own: the same one would only renew (docs/privacy.md).
			...(method === 'POST'
				? {
						requests: [
							{
								/** @param {any} request */
								setupRequest: (request) => ({
									...request,
									body: body.replace('/api-load', `/api-load/${(posted += 1)}`)
								})
							}
						]
					}
				: {})
		});
		const errors = result.errors + result.timeouts + result.non2xx;
		if (errors > 0) {
			failed = true;
		}
		return {
			kind,
			method,
			perSecond: result.requests.average,
			p99: result.latency.p99,
			errors,
			total: result.requests.total
		};
	};
	// PUT first: a POST of the same endpoint renews the subscription and its token.
	const results = [await run('PUT'), await run('POST')];
	await web.stop();
	return results;
}

async function main() {
	console.log(
		`Push benchmark: ${count.toLocaleString('en')} reminders due at once; ceiling over ${ceilingCount.toLocaleString('en')} messages; Node ${process.version}`
	);
	const mock = await spawnMockPushService();
	cleanups.push(() => mock.close());

	console.log('\n1. Raw ceiling: web-push in a tight loop (keep-alive, VAPID header per origin)');
	let ceiling = { perSecond: 0, concurrency: 0 };
	for (const concurrency of concurrencies) {
		const result = await measureCeiling({ count: ceilingCount, concurrency, service: mock });
		console.log(
			`   concurrency ${String(concurrency).padStart(2)}: ${result.perSecond.toFixed(0).padStart(5)} msg/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, errors ${result.errors}`
		);
		if (result.perSecond > ceiling.perSecond) {
			ceiling = { perSecond: result.perSecond, concurrency };
		}
	}
	console.log(
		`   ceiling: ${ceiling.perSecond.toFixed(0)} msg/s at concurrency ${ceiling.concurrency}`
	);

	console.log(
		`\n2. Dispatcher end to end (${dispatcherCount} standalone process${dispatcherCount === 1 ? '' : 'es'}, concurrency ${ceiling.concurrency} each), ${count.toLocaleString('en')} reminders due at T`
	);
	// This machine's speed drifts (other tenants): each wave is compared with the ceilings
	// measured right before and right after it, at the concurrency found above.
	const rows = [];
	for (const kind of /** @type {const} */ (['sqlite', 'postgres'])) {
		if (skip(kind)) {
			continue;
		}
		const ceilingNow = () =>
			measureCeiling({
				count: ceilingCount,
				concurrency: ceiling.concurrency,
				service: mock
			});
		for (let round = 1; round <= rounds; round += 1) {
			const dispatcher = await prepareDispatcher(kind, mock, ceiling.concurrency);
			let before = await ceilingNow();
			for (const wave of waves) {
				const row = await dispatcher.wave(wave);
				const after = await ceilingNow();
				const reference = (before.perSecond + after.perSecond) / 2;
				const ceilingCpu = meanCpu(before.cpu, after.cpu);
				const ceilingMockCpu = (before.mockCpuMicrosPerMessage + after.mockCpuMicrosPerMessage) / 2;
				const ratio = row.perSecond / reference;
				rows.push({ ...row, kind, wave, reference, ratio });
				const cpu =
					row.cpu && ceilingCpu
						? `; CPU µs/message, main thread + other threads: ${describeCpu(row.cpu)}, mock push service ${row.mockCpuMicrosPerMessage.toFixed(0)} (ceiling ${describeCpu(ceilingCpu)}, mock ${ceilingMockCpu.toFixed(0)})`
						: '';
				console.log(
					`   ${kind.padEnd(8)} ${waveNames[wave]}: ${row.perSecond.toFixed(0).padStart(5)} reminders/s; ceiling ${before.perSecond.toFixed(0)} before, ${after.perSecond.toFixed(0)} after: ${(100 * ratio).toFixed(0)} %${cpu}; delay from T: p50 ${(row.p50 / 1000).toFixed(2)} s, p99 ${(row.p99 / 1000).toFixed(2)} s, last ${(row.lastMs / 1000).toFixed(2)} s; all within a minute: ${row.withinMinute ? 'yes' : 'NO'}; reminders/s by fifth of the sends: ${row.fifths.map((rate) => rate.toFixed(0)).join(', ')}`
				);
				before = after;
			}
			await dispatcher.stop();
			console.log(
				`   (subscribing ${(waves.length * count).toLocaleString('en')} patients took ${dispatcher.seedSeconds.toFixed(1)} s)`
			);
		}
	}
	console.log(
		`\n   store      dispatcher        reminders/s   ceiling (mean of before/after)   ratio   p50 delay   p99 delay   all ≤ 60 s`
	);
	for (const row of rows) {
		console.log(
			`   ${row.kind.padEnd(8)}   ${waveNames[row.wave].padEnd(15)}   ${row.perSecond.toFixed(0).padStart(11)}   ${row.reference.toFixed(0).padStart(30)}   ${row.ratio.toFixed(2).padStart(5)}   ${(row.p50 / 1000).toFixed(2).padStart(7)} s   ${(row.p99 / 1000).toFixed(2).padStart(7)} s   ${row.withinMinute ? 'yes' : 'NO'}`
		);
	}
	if (rounds > 1) {
		for (const kind of new Set(rows.map((row) => row.kind))) {
			for (const wave of waves) {
				const ratios = rows
					.filter((row) => row.kind === kind && row.wave === wave)
					.map((row) => row.ratio)
					.sort((a, b) => a - b);
				console.log(
					`   ${kind}, ${waveNames[wave]}: median ratio ${quantile(ratios, 0.5).toFixed(2)} (${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}) over ${ratios.length} runs`
				);
			}
		}
	}

	if (!skip('api')) {
		console.log(
			`\n3. API load (autocannon, 16 connections, ${apiSeconds} s per run, 60 reminders per body)`
		);
		for (const kind of /** @type {const} */ (['sqlite', 'postgres'])) {
			if (skip(kind)) {
				continue;
			}
			for (const result of await measureApi(kind, mock)) {
				console.log(
					`   ${kind.padEnd(8)} ${result.method.padEnd(4)}: ${result.perSecond.toFixed(0).padStart(5)} req/s, p99 ${result.p99} ms, ${result.total} requests, errors ${result.errors}`
				);
			}
		}
	}
}

try {
	await main();
} catch (error) {
	failed = true;
	console.error(error);
} finally {
	while (cleanups.length > 0) {
		await cleanups
			.pop()?.()
			?.catch?.((/** @type {unknown} */ error) => console.error(error));
	}
}
process.exit(failed ? 1 : 0);
