// `npm run bench:headers`: the security headers on every kind of route of the built server
// (`node build`), as a Markdown table; run twice, without ORIGIN and with an https ORIGIN (HSTS).
// Needs a build (`npm run build`). Options: --port <n> (default 4330; the second run uses n + 1).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBuilt } from '../tests/support/built-process.js';
import { fetchRouteHeaders } from '../tests/support/route-headers.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '4330' } } });
const port = Number(values.port);
const HTTPS_ORIGIN = 'https://care.example-clinic.org';

/**
 * The answers of a server started with `env`.
 * @param {number} serverPort
 * @param {Record<string, string>} env
 */
async function answersOf(serverPort, env) {
	const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-headers-'));
	const server = await startBuilt('build', {
		env: { HOST: '127.0.0.1', PORT: String(serverPort), DATA_DIR: dataDir, ...env },
		ready: 'Listening on'
	});
	try {
		return await fetchRouteHeaders(`http://127.0.0.1:${serverPort}`);
	} finally {
		await server.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

const plain = await answersOf(port, {});
const https = await answersOf(port + 1, { ORIGIN: HTTPS_ORIGIN });

/** The policies seen, each named once in the table and written out below it. */
const policies = new Map();
/** @param {string | null} policy */
function policyName(policy) {
	if (policy === null) {
		return '**missing**';
	}
	const generic = policy.replace(/'sha256-[^']+'/g, "'sha256-…'");
	if (!policies.has(generic)) {
		policies.set(generic, `P${policies.size + 1}`);
	}
	return policies.get(generic);
}
/** @param {string | null} value */
const shown = (value) => (value === null ? '**missing**' : `\`${value}\``);
/** @param {string | null} value */
const present = (value) => (value === null ? '**missing**' : 'yes');

console.log(
	'| Route | Path | Status | CSP | nosniff | Referrer-Policy | Permissions-Policy | COOP | HSTS, no ORIGIN | HSTS, ORIGIN https |'
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
plain.forEach((answer, index) => {
	const { headers } = answer;
	const hsts = https[index]?.headers['strict-transport-security'] ?? null;
	console.log(
		`| ${answer.route.kind} | \`${answer.route.path}\` | ${answer.status} | ${policyName(headers['content-security-policy'])} | ${present(headers['x-content-type-options'])} | ${shown(headers['referrer-policy'])} | ${present(headers['permissions-policy'])} | ${shown(headers['cross-origin-opener-policy'])} | ${headers['strict-transport-security'] === null ? 'none' : shown(headers['strict-transport-security'])} | ${shown(hsts)} |`
	);
});
console.log('');
for (const [policy, name] of policies) {
	console.log(`- ${name}: \`${policy}\``);
}
console.log(`- Permissions-Policy: \`${plain[0]?.headers['permissions-policy']}\``);
console.log(
	"- 'sha256-…': the hash of the page's inline bootstrap script, which SvelteKit adds per build."
);
