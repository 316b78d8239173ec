import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The standalone dispatcher (`src/standalone-dispatcher.ts`) as one Node module,
// build/dispatcher/index.js, built after the app (adapter-node empties build/ first). npm packages
// stay external, as in the server build.
export default defineConfig({
	resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
	build: {
		ssr: 'src/standalone-dispatcher.ts',
		outDir: 'build/dispatcher',
		emptyOutDir: true,
		target: 'node20',
		rollupOptions: { output: { entryFileNames: 'index.js', format: 'es' } }
	}
});
