// `npm run dispatcher`: build when stale, then send due reminders without serving anything.
import { join } from 'node:path';
import { buildIfStale, root } from './build-if-stale.js';

buildIfStale();
await import(join(root, 'build', 'dispatcher', 'index.js'));
