// A private, throwaway PostgreSQL server for tests and benchmarks: initdb into a temporary
// folder, listen on a loopback port, trust authentication, gone at stop(). Tests own it, so they
// can stop and start it (the "database restarted" fault test) without touching any other server.
//
// Uses the PostgreSQL binaries Debian installs (`apt-get install -y postgresql`; .ci/run does).
// Run as root (CI), the server runs as the `postgres` user, as PostgreSQL refuses root.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder holding initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function postgresBinDir() {
	const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
	if (fromConfig.status === 0) {
		const dir = fromConfig.stdout.trim();
		if (existsSync(join(dir, 'initdb'))) {
			return dir;
		}
	}
	// Debian puts the server binaries in a versioned folder, off the PATH.
	const debian = '/usr/lib/postgresql';
	if (existsSync(debian)) {
		const versions = readdirSync(debian)
			.filter((name) => existsSync(join(debian, name, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions[0]) {
			return join(debian, versions[0], 'bin');
		}
	}
	return null;
}

async function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** The uid and gid of the `postgres` user, when running as root. */
function postgresUser() {
	if (process.getuid?.() !== 0) {
		return null;
	}
	const id = (/** @type {string} */ flag) =>
		spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) {
		throw new Error(
			'Running as root, and there is no postgres user to run PostgreSQL as (apt-get install -y postgresql creates it)'
		);
	}
	return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/**
 * Starts a new PostgreSQL server.
 * @param {{ durable?: boolean }} [options] `durable: false` (the default for tests) turns fsync
 *   off; benchmarks pass `true` to measure with PostgreSQL's normal durability
 * @returns {Promise<{ url: string, port: number, stop: () => void, start: () => void,
 *   pause: () => void, resume: () => void, remove: () => void }>} `stop`/`start` stop and start
 *   the same server (its data kept); `pause`/`resume` freeze and thaw it (unreachable, not down);
 *   `remove` stops it and deletes its folder
 */
export async function startPostgres(options = {}) {
	const bin = postgresBinDir();
	if (!bin) {
		throw new Error(
			'PostgreSQL is not installed: initdb was not found (Debian: apt-get install -y postgresql)'
		);
	}
	const user = postgresUser();
	const root = mkdtempSync(join(tmpdir(), 'aftercare-pg-'));
	const dataDir = join(root, 'data');
	if (user) {
		chownSync(root, user.uid, user.gid);
	}
	/** @param {string} command @param {string[]} args */
	const run = (command, args) => {
		const result = spawnSync(join(bin, command), args, {
			encoding: 'utf8',
			...(user ? { uid: user.uid, gid: user.gid } : {}),
			cwd: root
		});
		if (result.status !== 0) {
			throw new Error(
				`${command} failed: ${result.error?.message ?? ''}${result.stderr}${result.stdout}`
			);
		}
	};
	run('initdb', [
		'-D',
		dataDir,
		'-U',
		'aftercare',
		'--auth=trust',
		'--no-instructions',
		'-E',
		'UTF8',
		'--locale=C'
	]);
	const port = await freePort();
	const settings = [
		`-p ${port}`,
		"-c listen_addresses='127.0.0.1'",
		`-c unix_socket_directories='${root}'`,
		'-c max_connections=200',
		...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off'])
	].join(' ');
	const start = () =>
		run('pg_ctl', ['-D', dataDir, '-o', settings, '-l', join(root, 'log'), '-w', 'start']);
	const stop = () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
	/** SIGSTOP or SIGCONT to the server and every backend: it stays "up" but answers nothing. */
	const signalAll = (/** @type {NodeJS.Signals} */ signal) => {
		const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
		const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], {
			encoding: 'utf8'
		})
			.stdout.split('\n')
			.map(Number)
			.filter((pid) => pid > 0);
		for (const pid of [postmaster, ...children]) {
			try {
				process.kill(pid, signal);
			} catch {
				// Gone meanwhile.
			}
		}
	};
	start();
	let removed = false;
	return {
		url: `postgres://aftercare@127.0.0.1:${port}/postgres`,
		port,
		start,
		stop,
		pause: () => signalAll('SIGSTOP'),
		resume: () => signalAll('SIGCONT'),
		remove() {
			if (removed) {
				return;
			}
			removed = true;
			try {
				stop();
			} catch {
				// Already stopped.
			}
			rmSync(root, { recursive: true, force: true });
		}
	};
}
