// `npm run dispatcher`: sends due reminders and serves nothing, so sending scales apart from the
// web processes (run those with DISPATCHER=off). Reads the same push variables as the server.
import { mkdirSync } from 'node:fs';
import { ConfigError, loadPushSettings } from '$lib/server/config';
import {
	describeStore,
	openPushStore,
	startDispatcher,
	warnAboutPushSettings
} from '$lib/server/push/service';
import { loadVapidDetails } from '$lib/server/push/vapid';

async function main(): Promise<void> {
	let push, vapid, store;
	try {
		push = loadPushSettings(process.env);
		mkdirSync(push.dataDir, { recursive: true });
		vapid = loadVapidDetails(push);
		store = await openPushStore(push);
	} catch (error) {
		if (error instanceof ConfigError) {
			console.error(`The Aftercare Companion dispatcher cannot start.\n${error.message}`);
			process.exit(1);
		}
		throw error;
	}
	warnAboutPushSettings(push, vapid);
	const dispatcher = startDispatcher(push, vapid, store);
	// The dispatcher's timers do not hold the process open (inside the web server they must not).
	const keepAlive = setInterval(() => {}, 1 << 30);
	console.info(
		`Dispatcher: sending due reminders from ${describeStore(store, push)} (pid ${process.pid})`
	);

	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			console.info(`Dispatcher: ${signal}, finishing the sends in flight…`);
			void (async () => {
				await dispatcher.stop();
				await store.close();
				clearInterval(keepAlive);
				process.exit(0);
			})();
		});
	}
}

await main();
