// Hostile "push services" on loopback, for the fault tests and bench/hostile-push.js: each accepts
// the dispatcher's connection and then misbehaves in one way a real attacker's endpoint could.
//   endless    answers 201, then streams 1 MiB chunks for ever
//   trickle    answers 201 with its headers, then one byte of body every 3 s
//   silent     completes TLS, reads the request, never answers
//   tls-stall  accepts TCP, never sends the TLS ServerHello
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';

/** @typedef {'endless' | 'trickle' | 'silent' | 'tls-stall'} HostileKind */
export const hostileKinds = /** @type {const} */ (['endless', 'trickle', 'silent', 'tls-stall']);

/**
 * A running hostile endpoint.
 * @typedef {object} HostileEndpoint
 * @property {HostileKind} kind
 * @property {string} origin `https://127.0.0.1:PORT`
 * @property {() => number} connections TCP connections accepted so far
 * @property {() => number} bytesSent body bytes written so far (endless, trickle)
 * @property {() => Promise<void>} close
 */

const chunk = Buffer.alloc(1024 * 1024, 0x61);

/**
 * Starts one hostile endpoint on 127.0.0.1.
 * @param {HostileKind} kind
 * @param {{ key: string; cert: string }} tls key and certificate (the mock push service's)
 * @returns {Promise<HostileEndpoint>}
 */
export async function startHostileEndpoint(kind, tls) {
	let connections = 0;
	let bytesSent = 0;
	/** @type {Set<ReturnType<typeof setInterval>>} */
	const timers = new Set();
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	/** @type {import('node:http').RequestListener} */
	const answer = (request, response) => {
		request.resume();
		if (kind === 'silent') {
			return;
		}
		response.writeHead(201, { 'content-type': 'text/plain' });
		response.flushHeaders();
		if (kind === 'trickle') {
			const timer = setInterval(() => {
				if (response.destroyed) {
					clearInterval(timer);
					timers.delete(timer);
					return;
				}
				response.write('x');
				bytesSent += 1;
			}, 3000);
			timers.add(timer);
			return;
		}
		// endless: as fast as the reader takes it, for ever.
		const pump = () => {
			while (!response.destroyed && response.write(chunk)) {
				bytesSent += chunk.length;
			}
			if (!response.destroyed) {
				bytesSent += chunk.length;
				response.once('drain', pump);
			}
		};
		pump();
	};

	const server =
		kind === 'tls-stall'
			? createNetServer((socket) => {
					// Read the ClientHello and say nothing.
					socket.resume();
					socket.on('error', () => {});
				})
			: createHttpsServer({ key: tls.key, cert: tls.cert }, answer);
	server.on('connection', (/** @type {import('node:net').Socket} */ socket) => {
		connections += 1;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
	});
	server.on('tlsClientError', () => {});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		kind,
		origin: `https://127.0.0.1:${address.port}`,
		connections: () => connections,
		bytesSent: () => bytesSent,
		close: () =>
			new Promise((resolve) => {
				for (const timer of timers) {
					clearInterval(timer);
				}
				for (const socket of sockets) {
					socket.destroy();
				}
				server.close(() => resolve());
			})
	};
}
