// The mock push service in another process: spawned on another core (so the sender's CPU is its
// own in benchmarks), or started by hand; the handle calls its control routes over HTTPS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { controlPrefix } from './server.js';

/** @typedef {import('./server.js').MockOptions} MockOptions */
/** @typedef {import('./server.js').MockPushService} MockPushService */

/**
 * Starts the mock push service in a child process (so it runs on another core) and returns the
 * same handle as {@link startMockPushService}; its methods go over HTTPS to the control routes.
 * The child exits when `close()` is called or when this process goes away.
 * @param {Omit<MockOptions, 'tls' | 'idOf' | 'onPush'>} [options]
 * @returns {Promise<MockPushService>}
 */
export async function spawnMockPushService(options = {}) {
	const script = fileURLToPath(new URL('./cli.js', import.meta.url));
	const child = spawn(
		process.execPath,
		[script, '--options', JSON.stringify(options), '--exit-on-stdin-close'],
		{ stdio: ['pipe', 'pipe', 'inherit'] }
	);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	/** @type {{ origin: string, port: number, certPath: string, pid: number, keys: { p256dh: string, auth: string } | null }} */
	const ready = await new Promise((resolve, reject) => {
		let output = '';
		const onData = (/** @type {Buffer} */ chunk) => {
			output += chunk.toString('utf8');
			const newline = output.indexOf('\n');
			if (newline >= 0) {
				child.stdout?.off('data', onData);
				try {
					resolve(JSON.parse(output.slice(0, newline)));
				} catch {
					reject(new Error(`mock push service printed no JSON: ${output}`));
				}
			}
		};
		child.stdout?.on('data', onData);
		void exited.then((code) => reject(new Error(`mock push service exited with ${code}`)));
	});
	child.stdout?.resume();
	const handle = connectMockPushService(ready);
	return {
		...handle,
		pid: ready.pid,
		close: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}
			await exited;
		}
	};
}

/**
 * A handle on a mock push service that another process started (e.g. by hand on the command
 * line): pass what it printed. `close()` only forgets it; stop the process yourself.
 * @param {{ origin: string, certPath: string, port?: number, pid?: number,
 *   keys?: { p256dh: string, auth: string } | null }} printed
 * @returns {MockPushService}
 */
export function connectMockPushService(printed) {
	const cert = readFileSync(printed.certPath, 'utf8');
	/**
	 * @param {string} route
	 * @param {unknown} [input]
	 * @returns {Promise<any>}
	 */
	const call = (route, input) =>
		new Promise((resolve, reject) => {
			const body = input === undefined ? '' : JSON.stringify(input);
			const request = httpsRequest(
				`${printed.origin}${controlPrefix}${route}`,
				{
					method: 'POST',
					ca: cert,
					agent: false,
					headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
				},
				(response) => {
					/** @type {Buffer[]} */
					const chunks = [];
					response.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
					response.on('end', () => {
						const text = Buffer.concat(chunks).toString('utf8');
						if (response.statusCode === 200) {
							resolve(JSON.parse(text));
						} else {
							reject(new Error(`mock push service: ${route}: ${text}`));
						}
					});
				}
			);
			request.on('error', reject);
			request.end(body);
		});
	return {
		origin: printed.origin,
		port: printed.port ?? Number(new URL(printed.origin).port),
		cert,
		certPath: printed.certPath,
		keys: printed.keys ?? null,
		pid: printed.pid ?? 0,
		configure: (patch) => call('configure', patch),
		answerNext: async (count, status, headers) => {
			await call('answer-next', { count, status, headers });
		},
		failNext: async (count, status = 503, retryAfter) => {
			await call('answer-next', {
				count,
				status,
				headers: retryAfter ? { 'Retry-After': retryAfter } : {}
			});
		},
		throttleNext: async (count, retryAfter = '1') => {
			await call('answer-next', { count, status: 429, headers: { 'Retry-After': retryAfter } });
		},
		script: async (path, answers) => {
			await call('script', { path, answers });
		},
		stats: (statsOptions) => call('stats', { detail: statsOptions?.detail === true }),
		resetStats: async () => {
			await call('reset-stats');
		},
		reset: async () => {
			await call('reset');
		},
		close: async () => {}
	};
}
