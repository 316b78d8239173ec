// `npm run dispatcher`: sends due reminders and serves nothing, so sending scales apart from the
// web processes (run those with DISPATCHER=off). Reads the same push variables as the server.
// Built on its own into build/dispatcher/index.js (vite.dispatcher.config.ts); not to be confused
// with $lib/server/push/dispatcher.ts, the sending loop that this process and the server both run.
import { loadPushSettings, type PushConfig } from '$lib/server/config';
import { describeStore } from '$lib/server/push/service';
import { exitOnConfigError, startPushSide, type PushSide } from '$lib/server/push/start';

async function main(): Promise<void> {
	let push: PushConfig;
	let pushSide: PushSide;
	try {
		push = loadPushSettings(process.env);
		pushSide = await startPushSide(push, true);
	} catch (error) {
		exitOnConfigError(error, 'The Aftercare Companion dispatcher cannot start.');
	}
	// The dispatcher's timers do not hold the process open (inside the web server they must not).
	const keepAlive = setInterval(() => {}, 1 << 30);
	console.info(
		`Dispatcher: sending due reminders from ${describeStore(pushSide.store, push)} (pid ${process.pid})`
	);

	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			console.info(`Dispatcher: ${signal}, finishing the sends in flight…`);
			void pushSide.stop().then(() => {
				clearInterval(keepAlive);
				process.exit(0);
			});
		});
	}
}

await main();
