import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importSpecifiers, resolveSpecifier } from '../../scripts/check-cycles.js';

describe('findCycles', () => {
	it('finds none in a tree', () => {
		const graph = new Map([
			['a', ['b', 'c']],
			['b', ['c']],
			['c', []]
		]);
		expect(findCycles(graph)).toEqual([]);
	});

	it('reports each cycle once, from its first module, and a module importing itself', () => {
		const graph = new Map([
			['send.ts', ['vapid.ts']],
			['vapid.ts', ['send.ts', 'config.ts']],
			['config.ts', []],
			['x.ts', ['y.ts']],
			['y.ts', ['z.ts']],
			['z.ts', ['x.ts']],
			['self.ts', ['self.ts']]
		]);
		expect(findCycles(graph)).toEqual([
			['self.ts', 'self.ts'],
			['send.ts', 'vapid.ts', 'send.ts'],
			['x.ts', 'y.ts', 'z.ts', 'x.ts']
		]);
	});
});

describe('importSpecifiers', () => {
	it('reads static, type, re-export and dynamic imports, not strings or comments', () => {
		const code = [
			"import { a } from './a';",
			"import type { B } from './b';",
			"export { c } from '$lib/c';",
			"const d = await import('./d.svelte');",
			"// import { e } from './e';",
			'const text = "import { f } from \'./f\'";'
		].join('\n');
		expect(importSpecifiers(code, false)).toEqual(['./a', './b', '$lib/c', './d.svelte']);
	});

	it('reads only the script blocks of a component', () => {
		const component = [
			'<script module lang="ts">',
			"\timport { a } from './a';",
			'</script>',
			'<script lang="ts">',
			"\timport B from './B.svelte';",
			'</script>',
			"<p>import { c } from './c';</p>"
		].join('\n');
		expect(importSpecifiers(component, true)).toEqual(['./a', './B.svelte']);
	});
});

describe('resolveSpecifier', () => {
	const lib = '/app/src/lib';
	const files = new Set([
		'/app/src/lib/state/session.svelte.ts',
		'/app/src/lib/server/push/vapid.ts',
		'/app/src/lib/components/Card.svelte',
		'/app/src/lib/domain/index.ts'
	]);
	const isFile = (path: string) => files.has(path);
	const from = join(lib, 'state/care-plan.svelte.ts');

	it('follows $lib and relative specifiers the way the bundler does', () => {
		expect(resolveSpecifier('./session.svelte', from, lib, isFile)).toBe(
			'/app/src/lib/state/session.svelte.ts'
		);
		expect(resolveSpecifier('$lib/server/push/vapid.js', from, lib, isFile)).toBe(
			'/app/src/lib/server/push/vapid.ts'
		);
		expect(resolveSpecifier('../components/Card.svelte', from, lib, isFile)).toBe(
			'/app/src/lib/components/Card.svelte'
		);
		expect(resolveSpecifier('$lib/domain', from, lib, isFile)).toBe('/app/src/lib/domain/index.ts');
	});

	it('ignores packages and SvelteKit modules', () => {
		expect(resolveSpecifier('idb', from, lib, isFile)).toBeNull();
		expect(resolveSpecifier('$app/navigation', from, lib, isFile)).toBeNull();
	});
});
