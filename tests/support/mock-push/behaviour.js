// What the mock push service answers each push, and the faults it can play: a default status, a
// delay, a seeded fraction of 429s, bursts of fixed answers, and scripted answers per endpoint
// path. All of it can change while the service runs.
import { seededRandom } from '../seeded-random.js';

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

/** @type {Behaviour} */
export const defaultBehaviour = { delayMs: 0, status: 201, throttleFraction: 0, retryAfter: '1' };

/**
 * The answers to come: scripts per path first, then bursts in order, then the behaviour.
 * @param {Behaviour} initial the behaviour it starts with, and returns to on `reset`
 * @param {number} seed seed of the throttleFraction draws, for repeatable runs
 */
export function answerPlan(initial, seed) {
	validateBehaviour(initial);
	let behaviour = { ...initial };
	let random = seededRandom(seed);
	/** @type {{ remaining: number, answer: Answer }[]} */
	let bursts = [];
	/** @type {Map<string, Answer[]>} */
	let scripts = new Map();

	return {
		/** The current behaviour (its `delayMs` applies to every answer). */
		get behaviour() {
			return behaviour;
		},

		/** @param {string} path the endpoint path pushed to @returns {Answer} */
		next(path) {
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
		},

		/** @param {Partial<Behaviour>} patch @returns {Behaviour} the behaviour now */
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

		/** Drops bursts and scripts and restores the initial behaviour and seed. */
		reset() {
			bursts = [];
			scripts = new Map();
			behaviour = { ...initial };
			random = seededRandom(seed);
		}
	};
}

/** @param {unknown} status @returns {status is number} */
export function isStatus(status) {
	return Number.isInteger(status) && Number(status) >= 100 && Number(status) <= 599;
}

/** @param {Behaviour} behaviour @throws {TypeError} naming the first field out of range */
export function validateBehaviour(behaviour) {
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
