// `npm run bench:hostile`: what hostile push endpoints cost the healthy reminders, side by side.
//
// In one run, two scenarios against the production server (`node build`, its own dispatcher,
// default send deadline and concurrency unless flags say otherwise), each on a fresh data folder:
//   without  `--healthy` patients (default 100), one reminder each, falling due evenly over
//            `--spread` seconds (default 10), pushed to a loopback mock push service;
//   with     the same, plus `--hostile` subscriptions (default 2) per hostile kind due at the
//            start: an endless body (1 MiB chunks for ever), a trickle (headers, then a byte every
//            3 s), no answer at all, and a TLS handshake that never completes.
// Printed for each: the server's RSS before the reminders fall due and after the run (and the
// peak seen while it ran), the delay of healthy reminders from their due time to their arrival at
// the push service (p50 / p99 / max), and whether the server stayed up. Figures are printed, never
// asserted; the exit code is non-zero only when something did not work.
//
// Flags: --healthy N, --hostile N (per kind), --spread S, --settle S (seconds to keep running after
// the last healthy arrival, default 15: past the hostile sends' deadline and a retry),
// --deadline S (DISPATCH_SEND_DEADLINE_SECONDS), --concurrency N (DISPATCH_CONCURRENCY), --port P
// (the servers listen on P and P + 1, default 5150).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBuilt } from '../tests/support/built-process.js';
import { hostileKinds, startHostileEndpoint } from '../tests/support/hostile-push.js';
import {
	fakeBrowser,
	selfSignedCertificate,
	startMockPushService
} from '../tests/support/mock-push/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
/** @param {string} name @param {number} fallback */
const numberFlag = (name, fallback) => {
	const index = argv.indexOf(name);
	return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const healthyCount = numberFlag('--healthy', 100);
const hostilePerKind = numberFlag('--hostile', 2);
const spreadMs = numberFlag('--spread', 10) * 1000;
const settleMs = numberFlag('--settle', 15) * 1000;
const deadline = argv.includes('--deadline') ? String(numberFlag('--deadline', 10)) : null;
const concurrency = argv.includes('--concurrency') ? String(numberFlag('--concurrency', 32)) : null;

if (!existsSync(join(root, 'build', 'index.js'))) {
	console.error('No build: run `npm run build` first (npm run bench:hostile does).');
	process.exit(2);
}

/** @param {number} pid resident memory in bytes (Linux) */
function rss(pid) {
	const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(line?.[1] ?? NaN) * 1024;
}

/** @param {number[]} sorted @param {number} q */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const mib = (/** @type {number} */ bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} Outcome
 * @property {string} name
 * @property {number} rssBefore
 * @property {number} rssPeak
 * @property {number} rssAfter
 * @property {number[]} delays sorted, ms
 * @property {number} missing healthy reminders that never arrived
 * @property {boolean} up
 */

/**
 * One scenario on a fresh server.
 * @param {string} name
 * @param {number} hostileCount subscriptions per hostile kind
 * @param {number} port the server's port
 * @returns {Promise<Outcome>}
 */
async function scenario(name, hostileCount, port) {
	const tls = selfSignedCertificate();
	/** @type {Map<string, number>} path → arrival time */
	const arrivals = new Map();
	const push = await startMockPushService({
		tls,
		onPush: ({ path }) => {
			if (!arrivals.has(path)) {
				arrivals.set(path, Date.now());
			}
		}
	});
	const hostile = await Promise.all(hostileKinds.map((kind) => startHostileEndpoint(kind, tls)));
	const dataDir = join(mkdtempSync(join(tmpdir(), 'aftercare-hostile-')), 'data');
	const server = await startBuilt('build', {
		cwd: root,
		ready: 'Listening on',
		env: {
			HOST: '127.0.0.1',
			PORT: String(port),
			DATA_DIR: dataDir,
			NODE_EXTRA_CA_CERTS: tls.certPath,
			PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
			VAPID_SUBJECT: 'mailto:bench@example-clinic.org',
			DISPATCH_INTERVAL_SECONDS: '1',
			...(deadline ? { DISPATCH_SEND_DEADLINE_SECONDS: deadline } : {}),
			...(concurrency ? { DISPATCH_CONCURRENCY: concurrency } : {})
		}
	});
	const pid = /** @type {number} */ (server.pid);
	const url = `http://127.0.0.1:${port}`;
	try {
		/** @param {string} endpoint @param {number} at */
		const subscribe = async (endpoint, at) => {
			const response = await fetch(`${url}/api/push/subscriptions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					subscription: fakeBrowser().subscription(endpoint),
					reminders: [{ id: 'r1', at: new Date(at).toISOString() }]
				})
			});
			if (response.status !== 201) {
				throw new Error(`subscribe ${endpoint}: HTTP ${response.status} ${await response.text()}`);
			}
		};
		const start = Date.now() + 3000 + healthyCount * 5;
		for (const endpoint of hostile) {
			for (let i = 0; i < hostileCount; i += 1) {
				await subscribe(`${endpoint.origin}/${endpoint.kind}/${i}`, start);
			}
		}
		/** @type {Map<string, number>} path → due time */
		const due = new Map();
		for (let i = 0; i < healthyCount; i += 1) {
			const at = start + Math.round((spreadMs * i) / Math.max(1, healthyCount - 1));
			due.set(`/healthy/${i}`, at);
			await subscribe(`${push.origin}/healthy/${i}`, at);
		}
		const rssBefore = rss(pid);
		let rssPeak = rssBefore;
		const until = start + spreadMs + settleMs;
		while (Date.now() < until && server.running()) {
			rssPeak = Math.max(rssPeak, rss(pid));
			await sleep(250);
		}
		const up = server.running();
		const rssAfter = up ? rss(pid) : NaN;
		const delays = [...due]
			.filter(([path]) => arrivals.has(path))
			.map(([path, at]) => (arrivals.get(path) ?? 0) - at)
			.sort((a, b) => a - b);
		return {
			name,
			rssBefore,
			rssPeak,
			rssAfter,
			delays,
			missing: due.size - delays.length,
			up
		};
	} finally {
		await server.stop();
		await push.close();
		await Promise.all(hostile.map((endpoint) => endpoint.close()));
	}
}

const port = numberFlag('--port', 5150);
const outcomes = [await scenario('without hostile', 0, port)];
outcomes.push(await scenario(`with ${hostilePerKind} × 4 hostile`, hostilePerKind, port + 1));

console.info(
	`\n${healthyCount} healthy reminders due over ${spreadMs / 1000} s; hostile kinds: ${hostileKinds.join(', ')}; send deadline ${deadline ?? 10} s, concurrency ${concurrency ?? 32}\n`
);
const rows = [
	['', ...outcomes.map((outcome) => outcome.name)],
	['server up at the end', ...outcomes.map((o) => (o.up ? 'yes' : 'NO'))],
	['RSS before', ...outcomes.map((o) => mib(o.rssBefore))],
	['RSS peak', ...outcomes.map((o) => mib(o.rssPeak))],
	['RSS after', ...outcomes.map((o) => mib(o.rssAfter))],
	['healthy delay p50', ...outcomes.map((o) => `${quantile(o.delays, 0.5) ?? '-'} ms`)],
	['healthy delay p99', ...outcomes.map((o) => `${quantile(o.delays, 0.99) ?? '-'} ms`)],
	['healthy delay max', ...outcomes.map((o) => `${o.delays.at(-1) ?? '-'} ms`)],
	['healthy not arrived', ...outcomes.map((o) => String(o.missing))]
];
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const row of rows) {
	console.info(row.map((cell, column) => cell.padEnd(widths[column])).join('   '));
}
const failed = outcomes.some((outcome) => !outcome.up || outcome.missing > 0);
process.exit(failed ? 1 : 0);
