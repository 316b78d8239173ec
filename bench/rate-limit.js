// How fast one client address can subscribe against a default server (`node build`, default
// rate limits, SQLite): POSTs as fast as 8 connections allow for a few seconds, then prints how
// many were accepted before the first 429, at what rate, and the rate accepted over the whole
// window. Run: `npm run build && node bench/rate-limit.js` (PORT 5250 by default).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuilt } from '../tests/support/built-process.js';
import { fakeBrowser } from '../tests/support/mock-push/index.js';

const port = Number(process.env.BENCH_PORT ?? 5250);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = 8;
const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-bench-rate-'));
const web = await startBuilt('build', {
	env: {
		HOST: '127.0.0.1',
		PORT: String(port),
		DATA_DIR: dataDir,
		DISPATCHER: 'off',
		// A public endpoint would be resolved; loopback needs the test switch.
		PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1'
	},
	ready: 'Listening on'
});
const url = `http://127.0.0.1:${port}/api/push/subscriptions`;
const browser = fakeBrowser();
const body = JSON.stringify({
	subscription: browser.subscription('https://127.0.0.1:9/push/flood'),
	reminders: [{ id: 'r1', at: new Date(Date.now() + 86_400_000).toISOString() }]
});

const started = performance.now();
const until = started + seconds * 1000;
/** @type {{ at: number, status: number, retryAfter: string | null }[]} */
const answers = [];
const worker = async () => {
	while (performance.now() < until) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body
		});
		await response.arrayBuffer();
		answers.push({
			at: performance.now() - started,
			status: response.status,
			retryAfter: response.headers.get('retry-after')
		});
	}
};
try {
	await Promise.all(Array.from({ length: connections }, worker));
} finally {
	await web.stop();
	rmSync(dataDir, { recursive: true, force: true });
}

const firstRefusal = answers.findIndex((answer) => answer.status === 429);
const before = firstRefusal < 0 ? answers : answers.slice(0, firstRefusal);
const accepted = answers.filter((answer) => answer.status === 201).length;
const refused = answers.filter((answer) => answer.status === 429).length;
const other = answers.length - accepted - refused;
const windowS = answers.at(-1) ? (answers.at(-1)?.at ?? 0) / 1000 : seconds;
console.log(`one address, ${connections} connections, ${windowS.toFixed(1)} s, default limits`);
if (firstRefusal < 0) {
	console.log(
		`no 429 at all: ${accepted} subscriptions accepted (${(accepted / windowS).toFixed(0)}/s)`
	);
} else {
	const firstAt = answers[firstRefusal]?.at ?? 0;
	console.log(
		`before the first 429: ${before.length} accepted in ${firstAt.toFixed(0)} ms (${(
			(before.length / firstAt) *
			1000
		).toFixed(0)}/s); Retry-After: ${answers[firstRefusal]?.retryAfter} s`
	);
	console.log(
		`whole window: ${answers.length} requests (${(answers.length / windowS).toFixed(0)}/s), ${accepted} accepted (${(accepted / windowS).toFixed(2)}/s), ${refused} refused with 429${other ? `, ${other} other` : ''}`
	);
}
if (other > 0) {
	process.exitCode = 1;
}
