// CPU time of a process, in all and on its main thread, read from Linux's /proc.
import { readFileSync } from 'node:fs';

/** @typedef {{ total: number, main: number }} CpuReading microseconds of user + system time */

/**
 * CPU time (user + system) a process has used so far, in microseconds, in all and on its main
 * thread (the rest is V8's compiler and GC threads and libuv's pool); `null` where there is no
 * /proc (the figures are then not printed).
 * @param {number | undefined} pid
 * @returns {CpuReading | null}
 */
export function cpuMicros(pid) {
	/** @param {string} path */
	const ticks = (path) => {
		// Fields after the command name (which may hold spaces, hence the last ")"): utime and
		// stime are the 12th and 13th, in clock ticks, 100 per second on Linux.
		const fields = readFileSync(path, 'utf8').split(')').pop()?.trim().split(' ') ?? [];
		return (Number(fields[11]) + Number(fields[12])) * 10_000;
	};
	try {
		return { total: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
	} catch {
		return null;
	}
}

/**
 * CPU per message between two sets of readings (one per process, summed): in all, on the main
 * threads, and on the other threads; `null` when a reading is missing.
 * @param {(CpuReading | null)[]} before
 * @param {(CpuReading | null)[]} after
 * @param {number} messages
 * @returns {{ total: number, main: number, helpers: number } | null}
 */
export function cpuPerMessage(before, after, messages) {
	let total = 0;
	let main = 0;
	for (const [index, start] of before.entries()) {
		const end = after[index];
		if (!start || !end) {
			return null;
		}
		total += end.total - start.total;
		main += end.main - start.main;
	}
	return { total: total / messages, main: main / messages, helpers: (total - main) / messages };
}
