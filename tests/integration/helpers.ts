// Helpers for the integration tests: the real built server (`node build`) and a mock push
// service on loopback HTTPS that checks VAPID (RFC 8292) and decrypts payloads (RFC 8291).
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuilt } from '../support/built-process.js';

// The browser's side (certificate, subscriptions, decryption, VAPID checks) is plain JavaScript,
// shared with the benchmarks' mock push service.
export {
	decryptPushBody,
	fakeBrowser,
	selfSignedCertificate,
	verifyVapid
} from '../support/mock-push/index.js';
export type { FakeBrowser, VapidClaims } from '../support/mock-push/index.js';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createNetServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** A running process of the build: the web server or the dispatcher. */
export interface RunningProcess {
	dataDir: string;
	pid: number;
	/** Whether it is still running (not exited or killed). */
	running: () => boolean;
	/** Everything it printed so far. */
	output: () => string;
	/** SIGTERM, then resolves with the exit code. */
	stop: () => Promise<number | null>;
	/** Sends `signal` (SIGKILL: no goodbye) and resolves when it is gone. */
	kill: (signal: NodeJS.Signals) => Promise<void>;
}

/** A running `node build`. */
export interface RunningServer extends RunningProcess {
	url: string;
}

/**
 * Starts a module of the build with `env` (DATA_DIR defaults to a new temporary folder) and waits
 * until it prints `ready`.
 * @param module e.g. `build` or `build/dispatcher/index.js`
 */
async function startBuiltWithData(
	module: string,
	env: Record<string, string>,
	ready: string
): Promise<RunningProcess> {
	const dataDir = env.DATA_DIR ?? join(mkdtempSync(join(tmpdir(), 'aftercare-data-')), 'data');
	const child = await startBuilt(module, { env: { ...env, DATA_DIR: dataDir }, ready });
	return {
		dataDir,
		pid: child.pid ?? 0,
		running: child.running,
		output: child.output,
		stop: child.stop,
		kill: child.kill
	};
}

/**
 * Starts the production build and waits until it listens.
 * @param env extra environment (DATA_DIR defaults to a new temporary folder)
 */
export async function startServer(
	env: Record<string, string> = {},
	{ origin = false }: { origin?: boolean } = {}
): Promise<RunningServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const server = await startBuiltWithData(
		'build',
		// Every test client is 127.0.0.1: the rate limits are off unless a test sets them.
		{
			HOST: '127.0.0.1',
			PORT: String(port),
			// ORIGIN, when asked for: pushes then carry the link a tap opens (Declarative Web Push).
			...(origin ? { ORIGIN: url } : {}),
			SUBSCRIBE_RATE_PER_MINUTE: '0',
			API_RATE_PER_MINUTE: '0',
			...env
		},
		'Listening on'
	);
	return { ...server, url };
}

/**
 * Starts the standalone dispatcher (`npm run dispatcher`'s build) and waits until it runs.
 * @param env its environment: DATABASE_URL, VAPID keys…
 */
export async function startDispatcherProcess(env: Record<string, string>): Promise<RunningProcess> {
	return startBuiltWithData('build/dispatcher/index.js', env, 'Dispatcher: sending');
}

/** One request the mock push service received. */
export interface ReceivedPush {
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	/** The status it answered (or will answer, after a delay). */
	status: number;
	/** Epoch ms when the whole request had arrived, and when the answer went out (or null). */
	receivedAt: number;
	answeredAt: number | null;
}

/** How the mock answers one request. */
export interface MockAnswer {
	status: number;
	headers?: Record<string, string>;
	/** Wait this long before answering: a slow push service. */
	delayMs?: number;
}

/** A loopback HTTPS push service whose answers each test scripts per path. */
export interface MockPushService {
	origin: string;
	received: ReceivedPush[];
	/** Answers for a path, used in order; afterwards `behave`. */
	script: (path: string, answers: MockAnswer[]) => void;
	/** The answer to a request no script covers, given how many requests came before it. Default 201. */
	behave: (path: string, index: number) => MockAnswer;
	close: () => Promise<void>;
}

/**
 * Starts the mock push service on 127.0.0.1.
 * @param tls key and certificate
 */
export async function startMockPushService(tls: {
	key: string;
	cert: string;
}): Promise<MockPushService> {
	const received: ReceivedPush[] = [];
	const scripts = new Map<string, MockAnswer[]>();
	const server: Server = createHttpsServer(
		{ key: tls.key, cert: tls.cert },
		(request, response) => {
			const chunks: Buffer[] = [];
			request.on('data', (chunk: Buffer) => chunks.push(chunk));
			request.on('end', () => {
				const path = request.url ?? '/';
				const answer = scripts.get(path)?.shift() ?? mock.behave(path, received.length);
				const push: ReceivedPush = {
					path,
					headers: request.headers,
					body: Buffer.concat(chunks),
					status: answer.status,
					receivedAt: Date.now(),
					answeredAt: null
				};
				received.push(push);
				const reply = () => {
					if (response.destroyed) {
						return;
					}
					push.answeredAt = Date.now();
					response.writeHead(answer.status, answer.headers ?? {});
					response.end();
				};
				if (answer.delayMs) {
					setTimeout(reply, answer.delayMs);
				} else {
					reply();
				}
			});
		}
	);
	// Many dispatchers keep many connections open at once.
	server.maxConnections = 1000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 511, resolve));
	const { port } = server.address() as AddressInfo;
	const mock: MockPushService = {
		origin: `https://127.0.0.1:${port}`,
		received,
		behave: () => ({ status: 201 }),
		script: (path, answers) => scripts.set(path, [...answers]),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	return mock;
}

/**
 * Polls `check` until it returns a value other than `undefined`, or fails after `timeoutMs`.
 * @param what for the failure message
 */
export async function waitFor<T>(
	what: string,
	check: () => T | undefined | Promise<T | undefined>,
	timeoutMs = 20_000
): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) {
			return value;
		}
		if (Date.now() > until) {
			throw new Error(`timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
