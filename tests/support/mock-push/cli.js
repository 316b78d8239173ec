// `node tests/support/mock-push/cli.js [flags]`: runs the mock push service in its own process
// (spawnMockPushService starts it this way) and prints one JSON line:
// {"origin", "certPath", "pid", "keys", …}. Behaviours can then be changed over HTTPS, e.g.
//   curl --cacert CERT -d '{"count":5,"status":503}' ORIGIN/__mock/answer-next
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startMockPushService } from './server.js';

/** @typedef {import('./server.js').MockOptions} MockOptions */

/** Parses the flags, starts the service, prints one JSON line and runs until told to stop. */
async function main() {
	const { values } = parseArgs({
		options: {
			options: { type: 'string' },
			host: { type: 'string' },
			port: { type: 'string' },
			'cert-dir': { type: 'string' },
			'delay-ms': { type: 'string' },
			status: { type: 'string' },
			'throttle-fraction': { type: 'string' },
			'retry-after': { type: 'string' },
			seed: { type: 'string' },
			decrypt: { type: 'boolean' },
			'browser-private-key': { type: 'string' },
			'browser-auth': { type: 'string' },
			'verify-vapid': { type: 'boolean' },
			'exit-on-stdin-close': { type: 'boolean' },
			help: { type: 'boolean' }
		}
	});
	if (values.help) {
		console.log(
			'node tests/support/mock-push/cli.js [--port N] [--host H] [--cert-dir DIR] [--delay-ms N]\n' +
				'  [--status N] [--throttle-fraction F] [--retry-after S] [--seed N] [--decrypt]\n' +
				'  [--browser-private-key B64 --browser-auth B64] [--verify-vapid]\n' +
				'  [--options JSON] [--exit-on-stdin-close]'
		);
		return;
	}
	/** @param {string | undefined} text */
	const number = (text) => (text === undefined ? undefined : Number(text));
	/** @type {MockOptions} */
	const options = {
		...(values.options ? JSON.parse(values.options) : {}),
		...definedOnly({
			host: values.host,
			port: number(values.port),
			certDir: values['cert-dir'],
			delayMs: number(values['delay-ms']),
			status: number(values.status),
			throttleFraction: number(values['throttle-fraction']),
			retryAfter: values['retry-after'],
			seed: number(values.seed),
			decrypt: values.decrypt,
			verifyVapid: values['verify-vapid'],
			browser:
				values['browser-private-key'] && values['browser-auth']
					? { privateKey: values['browser-private-key'], auth: values['browser-auth'] }
					: undefined
		})
	};
	const service = await startMockPushService(options);
	const stop = () => {
		void service.close().finally(() => process.exit(0));
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	if (values['exit-on-stdin-close']) {
		process.stdin.on('end', stop);
		process.stdin.on('error', stop);
		process.stdin.resume();
	}
	console.log(
		JSON.stringify({
			url: service.origin,
			origin: service.origin,
			port: service.port,
			certPath: service.certPath,
			pid: process.pid,
			keys: service.keys
		})
	);
}

/**
 * @template {Record<string, unknown>} T
 * @param {T} object
 * @returns {Partial<T>}
 */
function definedOnly(object) {
	return /** @type {Partial<T>} */ (
		Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined))
	);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
