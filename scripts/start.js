// `npm start`: build the app when the build is missing or older than its sources, then serve it.
// adapter-node reads PORT (default 3000) and HOST (default 0.0.0.0) itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'build', 'index.js');
const inputs = [
	'src',
	'static',
	'svelte.config.js',
	'vite.config.ts',
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

const sourcesChanged = Math.max(...inputs.map((input) => newest(join(root, input))));
if (!existsSync(built) || statSync(built).mtimeMs < sourcesChanged) {
	console.info('Building Aftercare Companion…');
	const result = spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		process.exit(result.status ?? 1);
	}
}

await import(built);
