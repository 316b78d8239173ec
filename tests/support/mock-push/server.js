// A lightweight loopback Web Push service for benchmarks and fault tests: HTTPS on 127.0.0.1 with
// a self-signed certificate, 201 by default, and behaviours that can be changed while it runs
// (slow answers, 429 with Retry-After for a fraction of pushes or a burst, bursts of 5xx, scripted
// answers per subscription). It counts requests per status and per path (the endpoint path names
// the subscription) and, optionally, decrypts payloads (RFC 8291) to count deliveries per reminder
// id, and checks VAPID tokens (RFC 8292). Both cost CPU, so both are off unless asked for.
//
// In-process:   const push = await startMockPushService({ decrypt: true });
// Other core:   const push = await spawnMockPushService({ delayMs: 5 });   (same handle API)
// By hand:      node tests/support/mock-push/server.js --port 8443 [--decrypt] [--verify-vapid] …
//               prints one JSON line: {"origin", "certPath", "pid", "keys", …}; behaviours can then
//               be changed over HTTPS, e.g.
//               curl --cacert CERT -d '{"count":5,"status":503}' ORIGIN/__mock/answer-next
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpsRequest } from 'node:https';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decryptPushBody, fakeBrowser, selfSignedCertificate, verifyVapid } from './browser.js';
import { seededRandom } from '../seeded-random.js';

/** Requests under this prefix control the mock; they are never counted as pushes. */
export const controlPrefix = '/__mock/';

/**
 * What the service answers; every field may be changed at run time with `configure`.
 * @typedef {object} Behaviour
 * @property {number} delayMs wait this long before answering each push (a slow push service)
 * @property {number} status the answer when nothing else applies (201)
 * @property {number} throttleFraction 0…1: this fraction of pushes (pseudo-random, seeded) gets 429
 * @property {string} retryAfter the Retry-After header sent with those 429s (seconds or HTTP date)
 */

/**
 * An answer for one push.
 * @typedef {object} Answer
 * @property {number} status
 * @property {Record<string, string>} [headers]
 */

/**
 * What the service counted since it started (or since `resetStats`).
 * @typedef {object} MockStats
 * @property {number} total push requests received (control requests excluded)
 * @property {number} bytes request body bytes received
 * @property {Record<string, number>} byStatus answers by status code
 * @property {number} distinctPaths how many different endpoint paths (subscriptions) were pushed to
 * @property {Record<string, number>} [paths] requests per path (only with `{ detail: true }`)
 * @property {number[]} [answeredAt] when each 2xx answer was sent (only with `{ detail: true }`):
 *   the store keeps no send times (docs/privacy.md)
 * @property {number} inFlight pushes received and not yet answered
 * @property {number} maxInFlight the most pushes in flight at once
 * @property {number} aborted pushes whose connection closed before the answer was sent
 * @property {number | null} firstAt time of the first push (ms since the epoch)
 * @property {number | null} lastAt time of the last answer
 * @property {number} cpuMicros CPU time (user + system) the mock's process used since the counters
 *   started: shows whether the mock, not the sender, was the bottleneck
 * @property {number} decryptErrors bodies that did not decrypt (only when decrypting)
 * @property {number} vapidErrors pushes refused with 401 for a bad VAPID header (only when verifying)
 * @property {number} vapidTokens distinct VAPID Authorization headers seen (only when verifying)
 * @property {ReminderStats | null} reminders per reminder id (only when decrypting)
 */

/**
 * Deliveries by reminder id: "delivered" means the push service answered 2xx.
 * @typedef {object} ReminderStats
 * @property {number} ids distinct reminder ids seen
 * @property {number} delivered distinct reminder ids delivered at least once
 * @property {number} deliveries 2xx answers to pushes that carried a reminder id
 * @property {number} attempts pushes that carried a reminder id, whatever the answer
 * @property {{ id: string, delivered: number }[]} duplicates ids delivered more than once (first 100)
 * @property {number} duplicateCount how many ids were delivered more than once
 * @property {Record<string, { attempts: number, delivered: number }>} [byId] only with `{ detail: true }`
 */

/**
 * A running mock push service, in this process or another; every method works on both.
 * @typedef {object} MockPushService
 * @property {string} origin `https://127.0.0.1:<port>`: endpoints are `${origin}/<any path>`
 * @property {number} port
 * @property {string} cert the certificate (PEM): pass it as `ca` to an https.Agent
 * @property {string} certPath the certificate file (for NODE_EXTRA_CA_CERTS)
 * @property {{ p256dh: string, auth: string } | null} keys subscription keys whose pushes it can
 *   decrypt (null when not decrypting)
 * @property {number} pid the process it runs in
 * @property {(patch: Partial<Behaviour>) => Promise<Behaviour>} configure change behaviours
 * @property {(count: number, status: number, headers?: Record<string, string>) => Promise<void>}
 *   answerNext the next `count` pushes (any path) get this answer, before the default behaviour
 * @property {(count: number, status?: number, retryAfter?: string) => Promise<void>} failNext
 *   a burst of `count` 5xx answers (503 unless told), with Retry-After if given
 * @property {(count: number, retryAfter?: string) => Promise<void>} throttleNext
 *   a burst of `count` 429 answers with Retry-After (default '1')
 * @property {(path: string, answers: Answer[]) => Promise<void>} script answers for one path,
 *   used in order before anything else; afterwards the usual behaviour
 * @property {(options?: { detail?: boolean }) => Promise<MockStats>} stats
 * @property {() => Promise<void>} resetStats zero the counters (behaviours stay)
 * @property {() => Promise<void>} reset zero the counters, drop bursts and scripts, and restore
 *   the behaviour it started with
 * @property {() => Promise<void>} close stop it (and its process, when spawned)
 */

/**
 * Options of {@link startMockPushService} and {@link spawnMockPushService}.
 * @typedef {object} MockOptions
 * @property {string} [host] default 127.0.0.1
 * @property {number} [port] default 0 (any free port)
 * @property {{ key: string, cert: string, certPath: string }} [tls] default: a new self-signed
 *   certificate made with the openssl CLI in a temporary folder (spawned: use `certDir`)
 * @property {string} [certDir] where to write the new certificate
 * @property {number} [delayMs] initial {@link Behaviour}
 * @property {number} [status] initial {@link Behaviour}
 * @property {number} [throttleFraction] initial {@link Behaviour}
 * @property {string} [retryAfter] initial {@link Behaviour}
 * @property {number} [seed] seed of the throttleFraction draws (default 1), for repeatable runs
 * @property {boolean} [decrypt] decrypt payloads to count reminder ids; uses `browser`, else makes
 *   a key pair and reports it as `keys` (all subscriptions must then use those keys)
 * @property {{ privateKey: string, auth: string }} [browser] the subscriptions' keys (base64url);
 *   implies `decrypt`
 * @property {(plaintext: string) => string | null} [idOf] reads the reminder id from a decrypted
 *   payload (default: JSON `reminderId`, else `id`); in-process only
 * @property {boolean} [verifyVapid] answer 401 unless the Authorization header is a valid VAPID
 *   token for this origin; each distinct header is checked once
 * @property {(push: { path: string, headers: import('node:http').IncomingHttpHeaders,
 *   body: Buffer, status: number }) => void} [onPush] called for every push; in-process only
 */

/** @type {Behaviour} */
const defaultBehaviour = { delayMs: 0, status: 201, throttleFraction: 0, retryAfter: '1' };

/**
 * Starts the mock push service in this process.
 * @param {MockOptions} [options]
 * @returns {Promise<MockPushService>}
 */
export async function startMockPushService(options = {}) {
	const tls = options.tls ?? selfSignedCertificate(options.certDir);
	/** @type {Behaviour} */
	const initial = {
		delayMs: options.delayMs ?? defaultBehaviour.delayMs,
		status: options.status ?? defaultBehaviour.status,
		throttleFraction: options.throttleFraction ?? defaultBehaviour.throttleFraction,
		retryAfter: options.retryAfter ?? defaultBehaviour.retryAfter
	};
	validateBehaviour(initial);
	let behaviour = { ...initial };
	const browser =
		options.browser || options.decrypt ? fakeBrowser(options.browser ?? undefined) : null;
	const idOf = options.idOf ?? defaultIdOf;
	let random = seededRandom(options.seed ?? 1);

	/** @type {{ remaining: number, answer: Answer }[]} */
	let bursts = [];
	/** @type {Map<string, Answer[]>} */
	let scripts = new Map();
	/** Authorization header → null when valid, else the reason. */
	const vapidChecked = new Map();

	let stats = newStats();
	function newStats() {
		return {
			total: 0,
			bytes: 0,
			/** @type {Map<number, number>} */
			byStatus: new Map(),
			/** @type {Map<string, number>} */
			paths: new Map(),
			inFlight: 0,
			maxInFlight: 0,
			aborted: 0,
			/** @type {number | null} */
			firstAt: null,
			/** @type {number | null} */
			lastAt: null,
			/** @type {number[]} */
			answeredAt: [],
			cpu: process.cpuUsage(),
			decryptErrors: 0,
			vapidErrors: 0,
			vapidTokens: new Set(),
			/** @type {Map<string, { attempts: number, delivered: number }>} */
			reminders: new Map()
		};
	}

	/** @type {string} */
	let origin = '';

	/** @param {string | undefined} header @returns {string | null} why it is refused, or null */
	function checkVapid(header) {
		const key = header ?? '';
		const known = vapidChecked.get(key);
		if (known !== undefined) {
			return known;
		}
		let reason = null;
		try {
			const claims = verifyVapid(header);
			const now = Date.now() / 1000;
			if (claims.aud !== origin) {
				reason = `aud ${claims.aud} is not ${origin}`;
			} else if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) {
				reason = `exp ${claims.exp} is not within the next 24 hours`;
			}
		} catch (error) {
			reason = /** @type {Error} */ (error).message;
		}
		// Bounded: a naive sender signs a new token per message.
		if (vapidChecked.size >= 100_000) {
			vapidChecked.clear();
		}
		vapidChecked.set(key, reason);
		return reason;
	}

	/** @param {string} path @returns {Answer} */
	function nextAnswer(path) {
		const scripted = scripts.get(path);
		if (scripted && scripted.length > 0) {
			const answer = /** @type {Answer} */ (scripted.shift());
			if (scripted.length === 0) {
				scripts.delete(path);
			}
			return answer;
		}
		const burst = bursts[0];
		if (burst) {
			burst.remaining -= 1;
			if (burst.remaining <= 0) {
				bursts.shift();
			}
			return burst.answer;
		}
		if (behaviour.throttleFraction > 0 && random() < behaviour.throttleFraction) {
			return { status: 429, headers: { 'Retry-After': behaviour.retryAfter } };
		}
		return { status: behaviour.status };
	}

	/**
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:http').ServerResponse} response
	 * @param {Buffer} body
	 */
	function handlePush(request, response, body) {
		const path = request.url ?? '/';
		const counted = stats;
		counted.total += 1;
		counted.bytes += body.length;
		counted.firstAt ??= Date.now();
		counted.paths.set(path, (counted.paths.get(path) ?? 0) + 1);

		let answer;
		const refused = options.verifyVapid ? checkVapid(request.headers.authorization) : null;
		if (options.verifyVapid) {
			counted.vapidTokens.add(request.headers.authorization ?? '');
		}
		if (refused !== null) {
			counted.vapidErrors += 1;
			answer = { status: 401, headers: { 'Content-Type': 'text/plain' }, body: refused };
		} else {
			answer = nextAnswer(path);
		}
		if (browser) {
			try {
				const id = idOf(decryptPushBody(body, browser));
				if (id !== null) {
					const entry = counted.reminders.get(id) ?? { attempts: 0, delivered: 0 };
					entry.attempts += 1;
					if (answer.status >= 200 && answer.status < 300) {
						entry.delivered += 1;
					}
					counted.reminders.set(id, entry);
				}
			} catch {
				counted.decryptErrors += 1;
			}
		}
		options.onPush?.({ path, headers: request.headers, body, status: answer.status });

		counted.inFlight += 1;
		counted.maxInFlight = Math.max(counted.maxInFlight, counted.inFlight);
		let done = false;
		const finish = () => {
			if (!done) {
				done = true;
				counted.inFlight -= 1;
			}
		};
		response.on('close', () => {
			if (!response.writableFinished) {
				counted.aborted += 1;
			}
			finish();
		});
		const respond = () => {
			if (response.destroyed) {
				return;
			}
			counted.byStatus.set(answer.status, (counted.byStatus.get(answer.status) ?? 0) + 1);
			counted.lastAt = Date.now();
			if (answer.status >= 200 && answer.status < 300) {
				counted.answeredAt.push(counted.lastAt);
			}
			response.writeHead(answer.status, answer.headers ?? {});
			response.end('body' in answer ? answer.body : undefined);
			finish();
		};
		if (behaviour.delayMs > 0) {
			setTimeout(respond, behaviour.delayMs);
		} else {
			respond();
		}
	}

	/** @param {{ detail?: boolean }} [options] @returns {MockStats} */
	function snapshot({ detail = false } = {}) {
		const s = stats;
		/** @type {ReminderStats | null} */
		let reminders = null;
		if (browser) {
			let delivered = 0;
			let deliveries = 0;
			let attempts = 0;
			/** @type {{ id: string, delivered: number }[]} */
			const duplicates = [];
			let duplicateCount = 0;
			for (const [id, entry] of s.reminders) {
				attempts += entry.attempts;
				deliveries += entry.delivered;
				if (entry.delivered > 0) {
					delivered += 1;
				}
				if (entry.delivered > 1) {
					duplicateCount += 1;
					if (duplicates.length < 100) {
						duplicates.push({ id, delivered: entry.delivered });
					}
				}
			}
			reminders = {
				ids: s.reminders.size,
				delivered,
				deliveries,
				attempts,
				duplicates,
				duplicateCount,
				...(detail ? { byId: Object.fromEntries(s.reminders) } : {})
			};
		}
		return {
			total: s.total,
			bytes: s.bytes,
			byStatus: Object.fromEntries(s.byStatus),
			distinctPaths: s.paths.size,
			...(detail ? { paths: Object.fromEntries(s.paths), answeredAt: s.answeredAt } : {}),
			inFlight: s.inFlight,
			maxInFlight: s.maxInFlight,
			aborted: s.aborted,
			firstAt: s.firstAt,
			lastAt: s.lastAt,
			cpuMicros: cpuSince(s.cpu),
			decryptErrors: s.decryptErrors,
			vapidErrors: s.vapidErrors,
			vapidTokens: s.vapidTokens.size,
			reminders
		};
	}

	/** The in-process implementation of the control methods (also behind the control routes). */
	const control = {
		/** @param {Partial<Behaviour>} patch */
		configure(patch) {
			const next = { ...behaviour };
			for (const key of /** @type {(keyof Behaviour)[]} */ (Object.keys(defaultBehaviour))) {
				if (patch[key] !== undefined) {
					Object.assign(next, { [key]: patch[key] });
				}
			}
			validateBehaviour(next);
			behaviour = next;
			return { ...behaviour };
		},
		/** @param {number} count @param {number} status @param {Record<string, string>} [headers] */
		answerNext(count, status, headers) {
			if (!Number.isInteger(count) || count < 0 || !isStatus(status)) {
				throw new TypeError('answerNext needs an integer count ≥ 0 and an HTTP status');
			}
			if (count > 0) {
				bursts.push({ remaining: count, answer: { status, headers: headers ?? {} } });
			}
		},
		/** @param {string} path @param {Answer[]} answers */
		script(path, answers) {
			if (typeof path !== 'string' || !Array.isArray(answers)) {
				throw new TypeError('script needs a path and an array of answers');
			}
			for (const answer of answers) {
				if (!isStatus(answer?.status)) {
					throw new TypeError(`not an HTTP status: ${answer?.status}`);
				}
			}
			scripts.set(
				path,
				answers.map((answer) => ({ ...answer }))
			);
		},
		resetStats() {
			stats = newStats();
		},
		reset() {
			stats = newStats();
			bursts = [];
			scripts = new Map();
			behaviour = { ...initial };
			random = seededRandom(options.seed ?? 1);
		}
	};

	/**
	 * The control routes, for a mock in another process.
	 * @param {string} url
	 * @param {Buffer} body
	 * @returns {unknown} the JSON answer
	 */
	function handleControl(url, body) {
		const { pathname, searchParams } = new URL(url, 'https://mock');
		const input = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
		switch (pathname.slice(controlPrefix.length)) {
			case 'stats':
				return snapshot({ detail: searchParams.get('detail') === '1' || input.detail === true });
			case 'configure':
				return control.configure(input);
			case 'answer-next':
				control.answerNext(input.count, input.status, input.headers);
				return { ok: true };
			case 'script':
				control.script(input.path, input.answers);
				return { ok: true };
			case 'reset-stats':
				control.resetStats();
				return { ok: true };
			case 'reset':
				control.reset();
				return { ok: true };
			default:
				throw new TypeError(`unknown control route ${pathname}`);
		}
	}

	const server = createServer({ key: tls.key, cert: tls.cert }, (request, response) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
		request.on('end', () => {
			const body = chunks.length === 1 ? /** @type {Buffer} */ (chunks[0]) : Buffer.concat(chunks);
			if (request.url?.startsWith(controlPrefix)) {
				try {
					const result = handleControl(request.url, body);
					response.writeHead(200, { 'Content-Type': 'application/json' });
					response.end(JSON.stringify(result));
				} catch (error) {
					response.writeHead(400, { 'Content-Type': 'text/plain' });
					response.end(/** @type {Error} */ (error).message);
				}
				return;
			}
			handlePush(request, response, body);
		});
	});
	// Push services keep connections open for a long time; so does the sender's keep-alive agent.
	server.keepAliveTimeout = 65_000;
	server.headersTimeout = 66_000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	origin = `https://${host}:${address.port}`;

	return {
		origin,
		port: address.port,
		cert: tls.cert,
		certPath: tls.certPath,
		keys: browser ? { ...browser.keys } : null,
		pid: process.pid,
		configure: async (patch) => control.configure(patch),
		answerNext: async (count, status, headers) => control.answerNext(count, status, headers),
		failNext: async (count, status = 503, retryAfter) =>
			control.answerNext(count, status, retryAfter ? { 'Retry-After': retryAfter } : {}),
		throttleNext: async (count, retryAfter = '1') =>
			control.answerNext(count, 429, { 'Retry-After': retryAfter }),
		script: async (path, answers) => control.script(path, answers),
		stats: async (statsOptions) => snapshot(statsOptions),
		resetStats: async () => control.resetStats(),
		reset: async () => control.reset(),
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

/**
 * Starts the mock push service in a child process (so it runs on another core) and returns the
 * same handle as {@link startMockPushService}; its methods go over HTTPS to the control routes.
 * The child exits when `close()` is called or when this process goes away.
 * @param {Omit<MockOptions, 'tls' | 'idOf' | 'onPush'>} [options]
 * @returns {Promise<MockPushService>}
 */
export async function spawnMockPushService(options = {}) {
	const script = fileURLToPath(import.meta.url);
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

/** @param {NodeJS.CpuUsage} since */
function cpuSince(since) {
	const used = process.cpuUsage(since);
	return used.user + used.system;
}

/** @param {string} plaintext @returns {string | null} */
function defaultIdOf(plaintext) {
	try {
		const value = JSON.parse(plaintext);
		const id = value?.reminderId ?? value?.id;
		return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
	} catch {
		return null;
	}
}

/** @param {unknown} status @returns {status is number} */
function isStatus(status) {
	return Number.isInteger(status) && Number(status) >= 100 && Number(status) <= 599;
}

/** @param {Behaviour} behaviour */
function validateBehaviour(behaviour) {
	if (!(Number.isFinite(behaviour.delayMs) && behaviour.delayMs >= 0)) {
		throw new TypeError(`delayMs must be ≥ 0, not ${behaviour.delayMs}`);
	}
	if (!isStatus(behaviour.status)) {
		throw new TypeError(`status must be an HTTP status, not ${behaviour.status}`);
	}
	if (!(behaviour.throttleFraction >= 0 && behaviour.throttleFraction <= 1)) {
		throw new TypeError(`throttleFraction must be in [0, 1], not ${behaviour.throttleFraction}`);
	}
	if (typeof behaviour.retryAfter !== 'string') {
		throw new TypeError('retryAfter must be a string (seconds or an HTTP date)');
	}
}

/** `node tests/support/mock-push/server.js [flags]`: runs it and prints one JSON line. */
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
			'node tests/support/mock-push/server.js [--port N] [--host H] [--cert-dir DIR] [--delay-ms N]\n' +
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
