// Builds the app (web server and dispatcher) when the build is missing or older than its sources,
// so `npm start` and `npm run dispatcher` work on a fresh clone and after every edit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = [join(root, 'build', 'index.js'), join(root, 'build', 'dispatcher', 'index.js')];
const inputs = [
	'src',
	'static',
	'svelte.config.js',
	'vite.config.ts',
	'vite.dispatcher.config.ts',
	'package.json',
	'package-lock.json'
];

/** The newest modification time of a file or of anything below a folder. */
function newest(path) {
	if (!existsSync(path)) {
		return 0;
	}
	const stat = statSync(path);
	if (!stat.isDirectory()) {
		return stat.mtimeMs;
	}
	return readdirSync(path).reduce(
		(latest, name) => Math.max(latest, newest(join(path, name))),
		stat.mtimeMs
	);
}

/** Runs `npm run build` unless every output is newer than every input; exits on failure. */
export function buildIfStale() {
	const sourcesChanged = Math.max(...inputs.map((input) => newest(join(root, input))));
	const stale = outputs.some(
		(output) => !existsSync(output) || statSync(output).mtimeMs < sourcesChanged
	);
	if (!stale) {
		return;
	}
	console.info('Building Aftercare Companion…');
	const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		process.exit(result.status ?? 1);
	}
}
