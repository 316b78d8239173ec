// Starts a module of the production build (`build`, the web server, or
// `build/dispatcher/index.js`) as a child process and waits for the line that says it is ready.
// Shared by the benchmarks and the integration and browser tests.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A running process of the build.
 * @typedef {object} BuiltProcess
 * @property {number | undefined} pid
 * @property {() => string} output everything it printed so far
 * @property {() => boolean} running whether it is still running (not exited or killed)
 * @property {() => Promise<number | null>} stop SIGTERM (unless it has already exited), then
 *   resolves with the exit code
 * @property {(signal: NodeJS.Signals) => Promise<void>} kill sends `signal` (SIGKILL: no
 *   goodbye) and resolves when it is gone
 */

/**
 * @typedef {object} StartOptions
 * @property {string} ready text it prints once it is ready (`Listening on`, `Dispatcher: sending`)
 * @property {Record<string, string>} [env] added to this process's environment (and
 *   NODE_ENV=production)
 * @property {string} [cwd] the project folder (default: the current one)
 * @property {string[]} [nodeArgs] options for node itself, e.g. `--cpu-prof`
 * @property {number} [timeoutMs] how long it may take to be ready (default 20 s)
 */

/**
 * Starts `module` and waits until it prints `ready`; rejects with its output when it exits or
 * times out first.
 * @param {string} module e.g. `build` or `build/dispatcher/index.js`, relative to `cwd`
 * @param {StartOptions} options
 * @returns {Promise<BuiltProcess>}
 */
export async function startBuilt(module, options) {
	const cwd = options.cwd ?? process.cwd();
	const timeoutMs = options.timeoutMs ?? 20_000;
	if (!existsSync(join(cwd, module.endsWith('.js') ? module : join(module, 'index.js')))) {
		throw new Error(`No build of ${module}: run \`npm run build\` first`);
	}
	const child = spawn(process.execPath, [...(options.nodeArgs ?? []), module], {
		cwd,
		env: { ...process.env, NODE_ENV: 'production', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	/** @type {Promise<number | null>} */
	const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
	await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${module} was not ready within ${timeoutMs} ms:\n${output}`));
		}, timeoutMs);
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			output += chunk.toString();
			if (output.includes(options.ready)) {
				clearTimeout(timer);
				resolve(undefined);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`${module} exited with ${code}:\n${output}`));
		});
	});
	return {
		pid: child.pid,
		output: () => output,
		running: () => child.exitCode === null && child.signalCode === null,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}
			return exited;
		},
		kill: async (signal) => {
			child.kill(signal);
			await exited;
		}
	};
}
