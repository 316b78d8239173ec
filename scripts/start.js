// `npm start`: build the app when the build is missing or older than its sources, then serve it.
// adapter-node reads PORT (default 3000) and HOST (default 0.0.0.0) itself.
import { join } from 'node:path';
import { buildIfStale, root } from './build-if-stale.js';

buildIfStale();
await import(join(root, 'build', 'index.js'));
