// Helpers for the integration tests: the real built server (`node build`) and a mock push
// service on loopback HTTPS that checks VAPID (RFC 8292) and decrypts payloads (RFC 8291).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
	createECDH,
	createPublicKey,
	createDecipheriv,
	hkdfSync,
	randomBytes,
	verify,
	type ECDH
} from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
export function selfSignedCertificate(): { key: string; cert: string; certPath: string } {
	const dir = mkdtempSync(join(tmpdir(), 'aftercare-tls-'));
	const keyPath = join(dir, 'key.pem');
	const certPath = join(dir, 'cert.pem');
	const result = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			keyPath,
			'-out',
			certPath,
			'-days',
			'2',
			'-subj',
			'/CN=Aftercare test push service',
			'-addext',
			'subjectAltName=IP:127.0.0.1,DNS:localhost'
		],
		{ encoding: 'utf8' }
	);
	if (result.error || result.status !== 0) {
		// Not a skip: the integration tests need it (Debian: apt-get install -y openssl).
		throw new Error(
			`openssl could not make a test certificate: ${result.error?.message ?? result.stderr}`
		);
	}
	return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}

/** A running process of the build: the web server or the dispatcher. */
export interface RunningProcess {
	dataDir: string;
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
 * Starts a module of the build with `env` and waits until it prints `ready`.
 * @param module e.g. `build` or `build/dispatcher/index.js`
 */
async function startBuilt(
	module: string,
	env: Record<string, string>,
	ready: string
): Promise<RunningProcess> {
	if (!existsSync(module.endsWith('.js') ? module : join(module, 'index.js'))) {
		throw new Error('No build: run `npm run build` first (npm run test:integration does)');
	}
	const dataDir = env.DATA_DIR ?? join(mkdtempSync(join(tmpdir(), 'aftercare-data-')), 'data');
	const child: ChildProcess = spawn(process.execPath, [module], {
		env: { ...process.env, NODE_ENV: 'production', ...env, DATA_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${module} did not start:\n${output}`)),
			20_000
		);
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes(ready)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`${module} exited with ${code}:\n${output}`));
		});
	});
	return {
		dataDir,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null) {
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

/**
 * Starts the production build and waits until it listens.
 * @param env extra environment (DATA_DIR defaults to a new temporary folder)
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
	const port = await freePort();
	const server = await startBuilt(
		'build',
		{ HOST: '127.0.0.1', PORT: String(port), ...env },
		'Listening on'
	);
	return { ...server, url: `http://127.0.0.1:${port}` };
}

/**
 * Starts the standalone dispatcher (`npm run dispatcher`'s build) and waits until it runs.
 * @param env its environment: DATABASE_URL, VAPID keys…
 */
export async function startDispatcherProcess(env: Record<string, string>): Promise<RunningProcess> {
	return startBuilt('build/dispatcher/index.js', env, 'Dispatcher: sending');
}

/** A "browser" push subscription: its own P-256 key pair and auth secret. */
export interface FakeBrowser {
	ecdh: ECDH;
	auth: Buffer;
	/** `PushSubscription.toJSON()` for the given endpoint. */
	subscription: (endpoint: string) => {
		endpoint: string;
		expirationTime: null;
		keys: { p256dh: string; auth: string };
	};
}

/** A new browser key pair and auth secret. */
export function fakeBrowser(): FakeBrowser {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	const auth = randomBytes(16);
	return {
		ecdh,
		auth,
		subscription: (endpoint) => ({
			endpoint,
			expirationTime: null,
			keys: {
				p256dh: ecdh.getPublicKey().toString('base64url'),
				auth: auth.toString('base64url')
			}
		})
	};
}

/**
 * Decrypts an RFC 8291 (aes128gcm, one record) push message body as the browser would.
 * @param body the request body the push service received
 * @param browser the subscription's keys
 */
export function decryptPushBody(body: Buffer, browser: FakeBrowser): string {
	const salt = body.subarray(0, 16);
	const recordSize = body.readUInt32BE(16);
	const idLength = body[20] ?? 0;
	const senderKey = body.subarray(21, 21 + idLength);
	const ciphertext = body.subarray(21 + idLength);
	if (idLength !== 65 || ciphertext.length > recordSize) {
		throw new Error(`unexpected aes128gcm header (keyid ${idLength} bytes, rs ${recordSize})`);
	}
	const receiverKey = browser.ecdh.getPublicKey();
	const sharedSecret = browser.ecdh.computeSecret(senderKey);
	const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverKey, senderKey]);
	const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, browser.auth, keyInfo, 32));
	const cek = Buffer.from(
		hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16)
	);
	const nonce = Buffer.from(
		hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12)
	);
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(ciphertext.subarray(-16));
	const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
	// The last record ends with a 0x02 delimiter followed by optional zero padding.
	let end = padded.length - 1;
	while (end >= 0 && padded[end] === 0) {
		end -= 1;
	}
	if (padded[end] !== 2) {
		throw new Error('missing the last-record padding delimiter');
	}
	return padded.subarray(0, end).toString('utf8');
}

/** The claims of a checked VAPID token. */
export interface VapidClaims {
	aud: string;
	exp: number;
	sub: string;
	/** The `k=` public key, base64url. */
	publicKey: string;
}

/**
 * Checks an `Authorization: vapid t=<jwt>, k=<key>` header (RFC 8292): ES256 signature by `k`.
 * @param header the Authorization header
 * @returns the claims, for the caller to compare
 * @throws when the header, token or signature is wrong
 */
export function verifyVapid(header: string | undefined): VapidClaims {
	const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
	if (!match?.[1] || !match[2]) {
		throw new Error(`not a vapid Authorization header: ${header}`);
	}
	const [jwtHeader, jwtPayload, signature] = match[1].split('.');
	if (!jwtHeader || !jwtPayload || !signature) {
		throw new Error('the token is not a JWT');
	}
	const head = JSON.parse(Buffer.from(jwtHeader, 'base64url').toString('utf8'));
	if (head.alg !== 'ES256') {
		throw new Error(`alg is ${head.alg}, not ES256`);
	}
	const point = Buffer.from(match[2], 'base64url');
	if (point.length !== 65 || point[0] !== 4) {
		throw new Error('k is not an uncompressed P-256 point');
	}
	const key = createPublicKey({
		key: {
			kty: 'EC',
			crv: 'P-256',
			x: point.subarray(1, 33).toString('base64url'),
			y: point.subarray(33).toString('base64url')
		},
		format: 'jwk'
	});
	const valid = verify(
		'sha256',
		Buffer.from(`${jwtHeader}.${jwtPayload}`),
		{ key, dsaEncoding: 'ieee-p1363' },
		Buffer.from(signature, 'base64url')
	);
	if (!valid) {
		throw new Error('the VAPID signature does not verify');
	}
	const claims = JSON.parse(Buffer.from(jwtPayload, 'base64url').toString('utf8'));
	return { aud: claims.aud, exp: claims.exp, sub: claims.sub, publicKey: match[2] };
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
