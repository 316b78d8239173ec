import type { ServerInit } from '@sveltejs/kit';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type PushConfig } from '$lib/server/config';
import { checkEndpoint } from '$lib/server/push/endpoint-safety';
import {
	describeStore,
	endpointPolicy,
	openPushStore,
	startDispatcher,
	warnAboutPushSettings
} from '$lib/server/push/service';
import { loadVapidDetails, type VapidDetails } from '$lib/server/push/vapid';
import { setConfig, setPushRuntime } from '$lib/server/runtime';
import type { PushStore } from '$lib/server/store/types';

export const init: ServerInit = async () => {
	try {
		const config = loadConfig(process.env);
		try {
			mkdirSync(config.push.dataDir, { recursive: true });
		} catch (error) {
			throw new ConfigError(
				`DATA_DIR: cannot create ${config.push.dataDir}: ${(error as Error).message}`
			);
		}
		const vapid = loadVapidDetails(config.push);
		const store = await openPushStore(config.push);
		setConfig(config);
		console.info(
			`Care protocol: "${config.protocol.title}" v${config.protocol.version} (${config.protocolSource})`
		);
		startPush(config.push, vapid, store);
	} catch (error) {
		if (error instanceof ConfigError) {
			// Stop with the message alone: a stack trace would bury what the clinic has to fix.
			console.error(`Aftercare Companion cannot start.\n${error.message}`);
			process.exit(1);
		}
		throw error;
	}
};

/** Publishes the push runtime and starts the dispatcher unless DISPATCHER=off. */
function startPush(push: PushConfig, vapid: VapidDetails, store: PushStore): void {
	const policy = endpointPolicy(push);
	setPushRuntime({ store, vapid, checkEndpoint: (endpoint) => checkEndpoint(endpoint, policy) });

	console.info(
		`Push: store ${describeStore(store, push)}, VAPID keys from ${vapid.source === 'environment' ? 'the environment' : join(push.dataDir, 'vapid.json')}`
	);
	warnAboutPushSettings(push, vapid);

	const dispatcher = push.dispatcher ? startDispatcher(push, vapid, store) : null;
	if (!dispatcher) {
		console.info('Push: DISPATCHER=off, this process sends no reminders');
	}

	// adapter-node emits this after the HTTP server closed on SIGTERM/SIGINT.
	process.once('sveltekit:shutdown', () => {
		void (async () => {
			await dispatcher?.stop();
			await store.close();
		})();
	});
}
