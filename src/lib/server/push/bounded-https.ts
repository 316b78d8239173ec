import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';
import { performance } from 'node:perf_hooks';

/** One HTTPS request whose time and answer size are both bounded. */
export interface BoundedRequest {
	url: string;
	method: string;
	headers: OutgoingHttpHeaders;
	body: Buffer | null;
	agent?: Agent;
	/** Connect, TLS and the whole answer must fit in this many milliseconds. */
	deadlineMs: number;
	/** Bytes of the answer's body kept; past them the connection is dropped. */
	maxBodyBytes: number;
}

/** What came back. Once the status line has arrived there is always an answer. */
export interface BoundedAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	/** At most `maxBodyBytes` of the body. */
	body: Buffer;
	/** False when the body was cut short: too long, too slow, or the connection broke. */
	complete: boolean;
}

/** No status line came back within the deadline. */
export class DeadlineError extends Error {
	override name = 'DeadlineError';
	readonly code = 'ETIMEDOUT';
}

/**
 * A timer that fired more than this late means the process was paused (SIGSTOP, a VM pause) or
 * starved: what arrived meanwhile is still unread in the socket, so it gets one more short wait.
 */
const lateMs = 1_000;
const graceMs = 500;

/**
 * Calls `expire` once `ms` have passed, but never before the I/O that arrived while the process
 * was paused has been read: an answer sitting in the socket at the deadline is an answer.
 */
function startDeadline(ms: number, expire: () => void): () => void {
	const due = performance.now() + ms;
	let graced = false;
	const fire = () => {
		if (!graced && performance.now() - due > lateMs) {
			graced = true;
			timer = setTimeout(fire, graceMs);
			return;
		}
		expire();
	};
	let timer = setTimeout(fire, ms);
	return () => clearTimeout(timer);
}

/**
 * Sends one request over `node:https` (so the caller's agent, which vets every address it
 * connects to, stays in charge) and never waits or buffers beyond its bounds: one deadline covers
 * connecting, TLS, the status line and the body; the body is read up to `maxBodyBytes`, then the
 * connection is dropped. Once the status line is in, the request has an answer: a body that is
 * too long or too slow is cut short (`complete: false`), never turned into a failure.
 * @returns the answer
 * @throws DeadlineError, or the network error, when no status line arrived
 */
export function boundedRequest(options: BoundedRequest): Promise<BoundedAnswer> {
	return new Promise((resolve, reject) => {
		let head: Pick<BoundedAnswer, 'status' | 'headers'> | null = null;
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (complete: boolean, error?: unknown) => {
			if (settled) {
				return;
			}
			settled = true;
			stopDeadline();
			if (head) {
				resolve({ ...head, body: Buffer.concat(chunks, size), complete });
			} else {
				reject(error);
			}
		};

		const request = httpsRequest(options.url, {
			method: options.method,
			headers: options.headers,
			...(options.agent ? { agent: options.agent } : {})
		});
		const stopDeadline = startDeadline(options.deadlineMs, () => {
			settle(false, new DeadlineError(`no answer within ${options.deadlineMs} ms`));
			request.destroy();
		});
		// Handlers stay for the life of the request: a late error after settling is ignored, never
		// an uncaught exception.
		request.on('error', (error) => settle(false, error));
		request.on('close', () => settle(false, new Error('connection closed without an answer')));
		request.on('response', (response) => {
			head = { status: response.statusCode ?? 0, headers: response.headers };
			response.on('data', (chunk: Buffer) => {
				if (settled) {
					return;
				}
				const room = options.maxBodyBytes - size;
				chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
				size += Math.min(chunk.length, room);
				if (size >= options.maxBodyBytes) {
					settle(false);
					request.destroy();
				}
			});
			response.on('end', () => settle(true));
			response.on('error', () => settle(false));
			response.on('close', () => settle(false));
		});
		request.end(options.body ?? undefined);
	});
}
