// `node bench/push-ceiling.js`: how many Web Push messages per second this machine can send at
// best: web-push's sendNotification in a tight loop, no store and no dispatcher, against the
// loopback mock push service running in a child process (so it uses the other core).
//
// Measures the `cached` variant (keep-alive agent, one VAPID header per origin: what
// src/lib/server/push/send.ts does) at each concurrency, and for comparison `keepalive` (a new
// VAPID token per message) and `naive` (also a new TLS connection per message) on fewer messages.
// Prints a table and the best figure. Run it niced on a shared machine:
//
//   nice -n 10 node bench/push-ceiling.js [--count 10000] [--compare-count 2000]
//     [--concurrency 1,8,32,64] [--variants cached,keepalive,naive] [--rounds 1] [--decrypt]
//     [--json]
//
// With --rounds N each row is the median of N runs (by msg/s) and "range" shows the slowest and
// fastest: on a shared machine single runs vary a lot. The CPU pressure (Linux PSI: the share of
// time something waited for a CPU) is printed before and after, to judge how much. "mock CPU" is
// the mock's own CPU per message: near 1,000,000 / (msg/s) means the mock was the bottleneck.
//
// --decrypt makes the mock decrypt every payload (costs CPU on its core) and checks that every
// message arrived exactly once. The figures are reported, not asserted.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { spawnMockPushService } from '../tests/support/mock-push/index.js';
import { ceilingVariants, measureCeiling } from './lib/push-ceiling.js';

const { values } = parseArgs({
	options: {
		count: { type: 'string', default: '10000' },
		'compare-count': { type: 'string', default: '2000' },
		concurrency: { type: 'string', default: '1,8,32,64' },
		variants: { type: 'string', default: ceilingVariants.join(',') },
		rounds: { type: 'string', default: '1' },
		decrypt: { type: 'boolean', default: false },
		json: { type: 'boolean', default: false }
	}
});

/** @param {string} name @param {string} text */
function positiveInteger(name, text) {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1) {
		console.error(`--${name} must be a positive integer, not ${text}`);
		process.exit(2);
	}
	return value;
}

const count = positiveInteger('count', values.count);
const compareCount = positiveInteger('compare-count', values['compare-count']);
const rounds = positiveInteger('rounds', values.rounds);
const concurrencies = values.concurrency
	.split(',')
	.map((text) => positiveInteger('concurrency', text));
const variants = /** @type {import('./lib/push-ceiling.js').CeilingVariant[]} */ (
	values.variants.split(',')
);
for (const variant of variants) {
	if (!ceilingVariants.includes(variant)) {
		console.error(`Unknown variant ${variant}. Known: ${ceilingVariants.join(', ')}`);
		process.exit(2);
	}
}

/** @typedef {import('./lib/push-ceiling.js').CeilingResult} CeilingResult */

const require = createRequire(import.meta.url);
const webPushVersion = require('web-push/package.json').version;
console.log(
	`Push ceiling: node ${process.version}, web-push ${webPushVersion}, ${availableParallelism()} × ${cpus()[0]?.model ?? 'CPU'}`
);
console.log(
	`Mock push service in a child process${values.decrypt ? ', decrypting every payload' : ''}; ${count} messages per cached run, ${compareCount} per comparison run, each to its own subscription${rounds > 1 ? `; median of ${rounds} rounds` : ''}.`
);
const pressureBefore = cpuPressure();
if (pressureBefore) {
	console.log(`CPU pressure before: ${pressureBefore}`);
}
console.log('');

const service = await spawnMockPushService({ decrypt: values.decrypt });
const stop = () => {
	void service.close().finally(() => process.exit(130));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

/** The median round of each variant × concurrency, with the slowest and fastest rates. */
/** @type {(CeilingResult & { slowest: number, fastest: number })[]} */
const results = [];
let failed = false;
try {
	for (const variant of variants) {
		for (const concurrency of concurrencies) {
			const n = variant === 'cached' ? count : compareCount;
			/** @type {CeilingResult[]} */
			const runs = [];
			for (let round = 0; round < rounds; round += 1) {
				const result = await measureCeiling({
					count: n,
					concurrency,
					variant,
					service,
					pathPrefix: `/${variant}-${concurrency}-${round}/`
				});
				runs.push(result);
				failed = !check(result, await service.stats(), n) || failed;
			}
			runs.sort((a, b) => a.perSecond - b.perSecond);
			const median = /** @type {CeilingResult} */ (runs[Math.floor(runs.length / 2)]);
			const slowest = runs[0]?.perSecond ?? 0;
			const fastest = runs[runs.length - 1]?.perSecond ?? 0;
			results.push({ ...median, slowest, fastest });
			console.log(
				`  ${variant} × ${concurrency}: ${Math.round(median.perSecond)} msg/s` +
					(rounds > 1 ? ` (${Math.round(slowest)}–${Math.round(fastest)})` : '')
			);
		}
	}
} finally {
	await service.close();
}

const header = [
	'variant',
	'concurrency',
	'messages',
	'seconds',
	'msg/s',
	...(rounds > 1 ? ['range'] : []),
	'CPU µs/msg',
	'mock CPU µs/msg',
	'p50 ms',
	'p99 ms'
];
const rows = results.map((result) => [
	result.variant,
	String(result.concurrency),
	String(result.count),
	result.seconds.toFixed(2),
	String(Math.round(result.perSecond)),
	...(rounds > 1 ? [`${Math.round(result.slowest)}–${Math.round(result.fastest)}`] : []),
	String(Math.round(result.cpuMicrosPerMessage)),
	String(Math.round(result.mockCpuMicrosPerMessage)),
	result.p50Ms.toFixed(2),
	result.p99Ms.toFixed(2)
]);
const widths = header.map((title, column) =>
	Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0))
);
/** @param {string[]} cells */
const line = (cells) =>
	cells
		.map((cell, column) =>
			column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)
		)
		.join('  ');
console.log(`\n${line(header)}\n${line(widths.map((width) => '-'.repeat(width)))}`);
for (const row of rows) {
	console.log(line(row));
}

console.log('');
for (const variant of variants) {
	const top = results
		.filter((result) => result.variant === variant)
		.reduce(
			(/** @type {CeilingResult | null} */ best, result) =>
				best === null || result.perSecond > best.perSecond ? result : best,
			null
		);
	if (top) {
		console.log(
			`Best ${variant}: ${Math.round(top.perSecond)} msg/s at concurrency ${top.concurrency}`
		);
	}
}
const pressureAfter = cpuPressure();
if (pressureAfter) {
	console.log(`CPU pressure after: ${pressureAfter}`);
}
if (values.json) {
	console.log(JSON.stringify(results));
}
process.exitCode = failed ? 1 : 0;

/**
 * Did every message arrive once, answered 201? Prints what went wrong.
 * @param {CeilingResult} result
 * @param {import('../tests/support/mock-push/index.js').MockStats} stats the mock's counters for the run
 * @param {number} n messages sent
 * @returns {boolean}
 */
function check(result, stats, n) {
	const problems = [];
	if (result.errors > 0) {
		problems.push(`${result.errors} without an answer (${result.firstError})`);
	}
	if (result.statuses['201'] !== n) {
		problems.push(`statuses ${JSON.stringify(result.statuses)}`);
	}
	if (result.received !== n || result.distinctPaths !== n) {
		problems.push(`mock counted ${result.received} pushes to ${result.distinctPaths} paths`);
	}
	if (stats.reminders && (stats.reminders.delivered !== n || stats.reminders.duplicateCount > 0)) {
		problems.push(
			`decrypted ${stats.reminders.delivered} distinct ids, ${stats.reminders.duplicateCount} duplicated, ${stats.decryptErrors} undecryptable`
		);
	}
	if (problems.length > 0) {
		console.error(`${result.variant} × ${result.concurrency}: FAILED: ${problems.join('; ')}`);
	}
	return problems.length === 0;
}

/** The "some" line of /proc/pressure/cpu (Linux), or null. */
function cpuPressure() {
	try {
		return readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? null;
	} catch {
		return null;
	}
}
