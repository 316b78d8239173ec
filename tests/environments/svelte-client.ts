import type { Environment } from 'vitest/environments';

/**
 * Node, with modules compiled as for the browser: Svelte's client runtime, so `$state` is the
 * real deep proxy a component holds (the server build makes it a plain value). For specs of the
 * state layer, whose job includes keeping those proxies away from IndexedDB.
 */
export default {
	name: 'svelte-client',
	viteEnvironment: 'client',
	setup: () => ({ teardown: () => undefined })
} satisfies Environment;
