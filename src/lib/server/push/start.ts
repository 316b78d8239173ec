import { mkdirSync } from 'node:fs';
import { ConfigError, type PushConfig } from '../config';
import type { PushStore } from '../store/types';
import { openPushStore, startDispatcher, warnAboutPushSettings } from './service';
import { loadVapidDetails, type VapidDetails } from './vapid';

/** The push side of a running process. */
export interface PushSide {
	store: PushStore;
	vapid: VapidDetails;
	/** Whether this process sends due reminders. */
	sending: boolean;
	/**
	 * Lets the sends in flight finish (each within the send deadline), then closes the store. For
	 * shutdown: call it once, after the process stopped taking requests.
	 */
	stop: () => Promise<void>;
}

/**
 * Starts what the web server and the standalone dispatcher share: DATA_DIR, the VAPID keys
 * (generated into DATA_DIR on first start), the store, the start-up warnings, and the dispatcher
 * when this process sends reminders.
 * @param push the push configuration
 * @param sendReminders whether to start the dispatcher in this process
 * @throws ConfigError when DATA_DIR, the key file or the store cannot be used
 */
export async function startPushSide(push: PushConfig, sendReminders: boolean): Promise<PushSide> {
	try {
		mkdirSync(push.dataDir, { recursive: true });
	} catch (error) {
		throw new ConfigError(`DATA_DIR: cannot create ${push.dataDir}: ${(error as Error).message}`);
	}
	const vapid = loadVapidDetails(push);
	const store = await openPushStore(push);
	warnAboutPushSettings(push, vapid);
	const dispatcher = sendReminders ? startDispatcher(push, vapid, store) : null;
	return {
		store,
		vapid,
		sending: dispatcher !== null,
		async stop() {
			await dispatcher?.stop();
			await store.close();
		}
	};
}

/**
 * Ends the process with `heading` and the message alone when `error` is a {@link ConfigError}: a
 * stack trace would bury what the clinic has to fix. Anything else is thrown on.
 * @param error what stopped the start
 * @param heading the first line, naming what cannot start
 */
export function exitOnConfigError(error: unknown, heading: string): never {
	if (error instanceof ConfigError) {
		console.error(`${heading}\n${error.message}`);
		process.exit(1);
	}
	throw error;
}
