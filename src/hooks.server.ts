import type { ServerInit } from '@sveltejs/kit';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type ServerConfig } from '$lib/server/config';
import { Dispatcher } from '$lib/server/push/dispatcher';
import {
	checkEndpoint,
	createGuardedAgent,
	type EndpointPolicy
} from '$lib/server/push/endpoint-safety';
import { createWebPushSender } from '$lib/server/push/send';
import { loadVapidDetails, type VapidDetails } from '$lib/server/push/vapid';
import { setConfig, setPushRuntime } from '$lib/server/runtime';
import { SqliteStore } from '$lib/server/store/sqlite-store';
import type { PushStore } from '$lib/server/store/types';

export const init: ServerInit = () => {
	let config: ServerConfig;
	let vapid: VapidDetails;
	let store: PushStore;
	try {
		config = loadConfig(process.env);
		try {
			mkdirSync(config.push.dataDir, { recursive: true });
		} catch (error) {
			throw new ConfigError(
				`DATA_DIR: cannot create ${config.push.dataDir}: ${(error as Error).message}`
			);
		}
		vapid = loadVapidDetails(config.push);
		store = openStore(config.push.dataDir);
	} catch (error) {
		if (error instanceof ConfigError) {
			// Stop with the message alone: a stack trace would bury what the clinic has to fix.
			console.error(`Aftercare Companion cannot start.\n${error.message}`);
			process.exit(1);
		}
		throw error;
	}
	setConfig(config);
	console.info(
		`Care protocol: "${config.protocol.title}" v${config.protocol.version} (${config.protocolSource})`
	);
	startPush(config, vapid, store);
};

/**
 * Opens the embedded store in DATA_DIR.
 * @throws ConfigError when the database cannot be opened or is from a newer server
 */
function openStore(dataDir: string): PushStore {
	const path = join(dataDir, 'aftercare.sqlite');
	try {
		return new SqliteStore(path);
	} catch (error) {
		throw new ConfigError(`DATA_DIR: cannot open ${path}: ${(error as Error).message}`);
	}
}

/** Publishes the push runtime and starts the dispatcher. */
function startPush(config: ServerConfig, vapid: VapidDetails, store: PushStore): void {
	const { push } = config;
	const policy: EndpointPolicy = {
		allowlist: push.endpointAllowlist,
		allowLoopback: push.allowLoopbackEndpoints
	};
	const check = (endpoint: string) => checkEndpoint(endpoint, policy);
	setPushRuntime({ store, vapid, checkEndpoint: check });

	console.info(
		`Push: store ${store.name} in ${push.dataDir}, VAPID keys from ${vapid.source === 'environment' ? 'the environment' : join(push.dataDir, 'vapid.json')}`
	);
	if (!vapid.subjectConfigured) {
		console.warn(
			`WARNING: VAPID_SUBJECT is not set. Pushes are signed with the placeholder "${vapid.subject}", which Apple's push service rejects: iPhones and Macs get no reminders until VAPID_SUBJECT is set to a mailto: address or https: URL where you can be reached.`
		);
	}
	if (push.allowLoopbackEndpoints) {
		console.warn(
			'WARNING: PUSH_ALLOW_LOOPBACK_ENDPOINTS is on: subscriptions may point at https endpoints on this machine. For tests only; never in production.'
		);
	}

	let dispatcher: Dispatcher | null = null;
	// Connections to push services vet every address they resolve (DNS may change after a check).
	const agent = createGuardedAgent(policy);
	if (push.dispatcher) {
		dispatcher = new Dispatcher({
			now: Date.now,
			store,
			send: createWebPushSender(vapid, { agent }),
			checkEndpoint: check
		});
		dispatcher.start();
	} else {
		console.info('Push: DISPATCHER=off, this process sends no reminders');
	}

	// adapter-node emits this after the HTTP server closed on SIGTERM/SIGINT.
	process.once('sveltekit:shutdown', () => {
		void (async () => {
			await dispatcher?.stop();
			agent.destroy();
			await store.close();
		})();
	});
}
