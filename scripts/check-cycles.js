// `npm run check:cycles`: finds import cycles among the app's own modules under src/ (.ts, .js
// and the <script> blocks of .svelte files), and exits 1 when there is one.
//
// Every import counts: static, `import type`, `export … from` and dynamic `import()`. A cycle
// through a type or a lazy import still ties the modules together (one cannot be moved, split
// or tested without the other). `$lib/…` and relative specifiers are followed; packages, `$app/…`
// and other SvelteKit modules are not ours and cannot close a cycle.
//
// TypeScript's own scanner (`preProcessFile`) reads the specifiers, so strings and comments that
// merely look like imports are not counted.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Source files whose imports are read. */
const sourcePattern = /\.(ts|js|svelte)$/;

/** What an extensionless or `.js` specifier may name on disk, in the order the bundler tries. */
const candidateSuffixes = ['', '.ts', '.js', '.svelte', '/index.ts', '/index.js'];

/**
 * Every source file under `dir`, as absolute paths.
 * @param {string} dir
 * @returns {string[]}
 */
export function sourceFiles(dir) {
	/** @type {string[]} */
	const files = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) {
			files.push(...sourceFiles(path));
		} else if (sourcePattern.test(entry.name) && !entry.name.endsWith('.d.ts')) {
			files.push(path);
		}
	}
	return files;
}

/**
 * The module specifiers a file imports, in any form (see the header).
 * @param {string} text the file's text
 * @param {boolean} svelte whether it is a component (only its `<script>` blocks hold imports)
 * @returns {string[]}
 */
export function importSpecifiers(text, svelte) {
	const code = svelte
		? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
		: text;
	return ts.preProcessFile(code, true, true).importedFiles.map((file) => file.fileName);
}

/**
 * The file a specifier names, or null when it is not one of ours (a package, `$app/…`).
 * @param {string} specifier
 * @param {string} from the importing file
 * @param {string} lib the absolute path of `src/lib` (`$lib`)
 * @param {(path: string) => boolean} [isFile]
 * @returns {string | null}
 */
export function resolveSpecifier(specifier, from, lib, isFile = fileExists) {
	let base;
	if (specifier === '$lib' || specifier.startsWith('$lib/')) {
		base = join(lib, specifier.slice('$lib'.length));
	} else if (specifier.startsWith('./') || specifier.startsWith('../')) {
		base = resolve(dirname(from), specifier);
	} else {
		return null;
	}
	// TypeScript lets `./x.js` name `x.ts`.
	const bases = base.endsWith('.js') ? [base, base.slice(0, -3)] : [base];
	for (const candidate of bases) {
		for (const suffix of candidateSuffixes) {
			if (isFile(candidate + suffix)) {
				return candidate + suffix;
			}
		}
	}
	return null;
}

/** @param {string} path */
function fileExists(path) {
	return existsSync(path) && statSync(path).isFile();
}

/**
 * The cycles of a dependency graph: one per strongly connected component of more than one module
 * (or a module importing itself), each given as a path that starts and ends at the same module.
 * @param {Map<string, string[]>} graph module → the modules it imports
 * @returns {string[][]} sorted, each cycle starting at its alphabetically first module
 */
export function findCycles(graph) {
	// Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
	let counter = 0;
	/** @type {Map<string, number>} */
	const index = new Map();
	/** @type {Map<string, number>} */
	const low = new Map();
	/** @type {string[]} */
	const stack = [];
	const onStack = new Set();
	/** @type {string[][]} */
	const components = [];
	const nodes = [...graph.keys()].sort();
	for (const start of nodes) {
		if (index.has(start)) {
			continue;
		}
		/** @type {{ node: string, next: number }[]} */
		const work = [{ node: start, next: 0 }];
		index.set(start, counter);
		low.set(start, counter);
		counter += 1;
		stack.push(start);
		onStack.add(start);
		while (work.length > 0) {
			const frame = /** @type {{ node: string, next: number }} */ (work.at(-1));
			const edges = graph.get(frame.node) ?? [];
			if (frame.next < edges.length) {
				const target = /** @type {string} */ (edges[frame.next]);
				frame.next += 1;
				if (!index.has(target)) {
					index.set(target, counter);
					low.set(target, counter);
					counter += 1;
					stack.push(target);
					onStack.add(target);
					work.push({ node: target, next: 0 });
				} else if (onStack.has(target)) {
					low.set(frame.node, Math.min(Number(low.get(frame.node)), Number(index.get(target))));
				}
				continue;
			}
			work.pop();
			const parent = work.at(-1);
			if (parent) {
				low.set(parent.node, Math.min(Number(low.get(parent.node)), Number(low.get(frame.node))));
			}
			if (low.get(frame.node) === index.get(frame.node)) {
				/** @type {string[]} */
				const component = [];
				let member;
				do {
					member = /** @type {string} */ (stack.pop());
					onStack.delete(member);
					component.push(member);
				} while (member !== frame.node);
				const selfLoop = (graph.get(frame.node) ?? []).includes(frame.node);
				if (component.length > 1 || selfLoop) {
					components.push(component);
				}
			}
		}
	}
	return components
		.map((component) => cycleThrough(graph, new Set(component)))
		.sort((a, b) => a.join('\n').localeCompare(b.join('\n')));
}

/**
 * One shortest cycle inside a strongly connected component, from its alphabetically first module.
 * @param {Map<string, string[]>} graph
 * @param {Set<string>} members
 * @returns {string[]}
 */
function cycleThrough(graph, members) {
	const start = /** @type {string} */ ([...members].sort()[0]);
	/** @type {Map<string, string>} */
	const cameFrom = new Map();
	const queue = [start];
	while (queue.length > 0) {
		const node = /** @type {string} */ (queue.shift());
		for (const next of [...(graph.get(node) ?? [])].sort()) {
			if (!members.has(next)) {
				continue;
			}
			if (next === start) {
				const path = [start];
				for (let at = node; at !== start; at = /** @type {string} */ (cameFrom.get(at))) {
					path.splice(1, 0, at);
				}
				return [...path, start];
			}
			if (!cameFrom.has(next)) {
				cameFrom.set(next, node);
				queue.push(next);
			}
		}
	}
	return [start, start];
}

/**
 * Reads src/ and returns its import graph, paths relative to the project.
 * @param {string} projectRoot
 * @returns {Map<string, string[]>}
 */
export function importGraph(projectRoot) {
	const src = join(projectRoot, 'src');
	const lib = join(src, 'lib');
	/** @type {Map<string, string[]>} */
	const graph = new Map();
	for (const file of sourceFiles(src)) {
		const targets = new Set();
		for (const specifier of importSpecifiers(
			readFileSync(file, 'utf8'),
			file.endsWith('.svelte')
		)) {
			const target = resolveSpecifier(specifier, file, lib);
			if (target) {
				targets.add(relative(projectRoot, target));
			}
		}
		graph.set(relative(projectRoot, file), [...targets]);
	}
	return graph;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const graph = importGraph(root);
	const cycles = findCycles(graph);
	if (cycles.length === 0) {
		console.log(`No import cycles among ${graph.size} modules under src/.`);
	} else {
		console.log(`${cycles.length} import cycle(s) among ${graph.size} modules under src/:`);
		for (const cycle of cycles) {
			console.log(`  ${cycle.join(' → ')}`);
		}
		process.exitCode = 1;
	}
}
