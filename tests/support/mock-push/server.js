// A lightweight loopback Web Push service for tests and benchmarks: HTTPS on 127.0.0.1 with a
// self-signed certificate (tls.js), 201 by default, and behaviours and faults that can change
// while it runs (behaviour.js: slow answers, 429 with Retry-After for a fraction of pushes or a
// burst, bursts of 5xx, scripted answers per subscription). It counts requests per status and per
// path (the endpoint path names the subscription) and, optionally, decrypts payloads (RFC 8291,
// browser.js) to count deliveries per reminder id (deliveries.js), and checks VAPID tokens
// (RFC 8292, vapid.js). Both cost CPU, so both are off unless asked for.
//
// In-process:   const push = await startMockPushService({ decrypt: true });
// Other core:   const push = await spawnMockPushService({ delayMs: 5 });   (remote.js, same API)
// By hand:      node tests/support/mock-push/cli.js --port 8443 [--decrypt] [--verify-vapid] …
import { createServer } from 'node:https';
import { answerPlan, defaultBehaviour } from './behaviour.js';
import { decryptPushBody, fakeBrowser } from './browser.js';
import {
	defaultIdOf,
	newDeliveryRecord,
	recordAnswer,
	recordArrival,
	recordReminder,
	summarize
} from './deliveries.js';
import { selfSignedCertificate } from './tls.js';
import { vapidChecker } from './vapid.js';

/** @typedef {import('./behaviour.js').Behaviour} Behaviour */
/** @typedef {import('./behaviour.js').Answer} Answer */
/** @typedef {import('./deliveries.js').MockStats} MockStats */

/** Requests under this prefix control the mock; they are never counted as pushes. */
export const controlPrefix = '/__mock/';

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
	const answers = answerPlan(initial, options.seed ?? 1);
	const browser =
		options.browser || options.decrypt ? fakeBrowser(options.browser ?? undefined) : null;
	const idOf = options.idOf ?? defaultIdOf;
	/** @type {string} */
	let origin = '';
	const checkVapid = vapidChecker(() => origin);
	let record = newDeliveryRecord();

	/**
	 * @param {import('node:http').IncomingMessage} request
	 * @param {import('node:http').ServerResponse} response
	 * @param {Buffer} body
	 */
	function handlePush(request, response, body) {
		const path = request.url ?? '/';
		// Counters reset meanwhile must not receive this push's answer.
		const counted = record;
		recordArrival(counted, path, body.length);

		/** @type {Answer & { body?: string }} */
		let answer;
		const refused = options.verifyVapid ? checkVapid(request.headers.authorization) : null;
		if (options.verifyVapid) {
			counted.vapidTokens.add(request.headers.authorization ?? '');
		}
		if (refused !== null) {
			counted.vapidErrors += 1;
			answer = { status: 401, headers: { 'Content-Type': 'text/plain' }, body: refused };
		} else {
			answer = answers.next(path);
		}
		if (browser) {
			try {
				const id = idOf(decryptPushBody(body, browser));
				if (id !== null) {
					recordReminder(counted, id, answer.status);
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
			recordAnswer(counted, answer.status);
			response.writeHead(answer.status, answer.headers ?? {});
			response.end(answer.body);
			finish();
		};
		const { delayMs } = answers.behaviour;
		if (delayMs > 0) {
			setTimeout(respond, delayMs);
		} else {
			respond();
		}
	}

	/** @param {{ detail?: boolean }} [options] @returns {MockStats} */
	const snapshot = ({ detail = false } = {}) =>
		summarize(record, { decrypting: browser !== null, detail });

	/** The in-process implementation of the control methods (also behind the control routes). */
	const control = {
		/** @param {Partial<Behaviour>} patch */
		configure: (patch) => answers.configure(patch),
		/** @param {number} count @param {number} status @param {Record<string, string>} [headers] */
		answerNext: (count, status, headers) => answers.answerNext(count, status, headers),
		/** @param {string} path @param {Answer[]} list */
		script: (path, list) => answers.script(path, list),
		resetStats() {
			record = newDeliveryRecord();
		},
		reset() {
			record = newDeliveryRecord();
			answers.reset();
		}
	};

	/**
	 * The control routes, for a mock in another process (remote.js calls them).
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
