import type { ServerInit } from '@sveltejs/kit';
import { join } from 'node:path';
import { loadConfig } from '$lib/server/config';
import { checkEndpoint } from '$lib/server/push/endpoint-safety';
import { describeStore, endpointPolicy } from '$lib/server/push/service';
import { exitOnConfigError, startPushSide } from '$lib/server/push/start';
import { vapidFileName } from '$lib/server/push/vapid';
import { setConfig, setPushRuntime } from '$lib/server/runtime';

export const init: ServerInit = async () => {
	try {
		const config = loadConfig(process.env);
		const { push } = config;
		for (const protocol of config.protocols.values()) {
			const fallback = protocol.id === config.protocol.id && config.protocols.size > 1;
			console.info(
				`Care protocol: "${protocol.title}" v${protocol.version}, id ${protocol.id}${fallback ? ', the default' : ''} (${config.protocolSource})`
			);
		}
		const pushSide = await startPushSide(push, push.dispatcher);
		const policy = endpointPolicy(push);
		setConfig(config);
		setPushRuntime({
			store: pushSide.store,
			vapid: pushSide.vapid,
			checkEndpoint: (endpoint) => checkEndpoint(endpoint, policy)
		});
		console.info(
			`Push: store ${describeStore(pushSide.store, push)}, VAPID keys from ${pushSide.vapid.source === 'environment' ? 'the environment' : join(push.dataDir, vapidFileName)}`
		);
		if (!pushSide.sending) {
			console.info('Push: DISPATCHER=off, this process sends no reminders');
		}
		// adapter-node emits this after the HTTP server closed on SIGTERM/SIGINT.
		process.once('sveltekit:shutdown', () => void pushSide.stop());
	} catch (error) {
		exitOnConfigError(error, 'Aftercare Companion cannot start.');
	}
};
