// adapter-node, with the security headers (src/lib/server/security-headers.js) on every response of the
// built server. adapter-node serves static files, and so the service worker and the manifest,
// with sirv before SvelteKit's hooks run, and offers no way to add headers to them; so its entry
// becomes build/server.js, and build/index.js (what `node build` and `npm start` run) installs
// the headers on its HTTP server, then passes on its exports. Everything else of adapter-node
// (its environment variables, graceful shutdown, socket activation) stays as it is.
import node from '@sveltejs/adapter-node';
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADERS_MODULE = new URL('../src/lib/server/security-headers.js', import.meta.url);

const ENTRY = `// Written by scripts/adapter.js: adapter-node's server (./server.js), with the security
// headers on every response, static files included.
import { installSecurityHeaders } from './security-headers.js';
import { server } from './server.js';

installSecurityHeaders(server.server, process.env);

export * from './server.js';
`;

/**
 * @param {import('@sveltejs/adapter-node').AdapterOptions & { out: string }} options
 * @returns {import('@sveltejs/kit').Adapter}
 */
export default function adapter(options) {
	const inner = node(options);
	return {
		...inner,
		name: `${inner.name} with security headers`,
		async adapt(builder) {
			await inner.adapt(builder);
			const out = options.out;
			const server = readFileSync(join(out, 'index.js'), 'utf8');
			writeFileSync(
				join(out, 'server.js'),
				server.replace('sourceMappingURL=index.js.map', 'sourceMappingURL=server.js.map')
			);
			if (existsSync(join(out, 'index.js.map'))) {
				renameSync(join(out, 'index.js.map'), join(out, 'server.js.map'));
			}
			copyFileSync(HEADERS_MODULE, join(out, 'security-headers.js'));
			writeFileSync(join(out, 'index.js'), ENTRY);
		}
	};
}
