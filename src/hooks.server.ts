import type { Handle, ServerInit } from '@sveltejs/kit';
import { join } from 'node:path';
import { loadConfig } from '$lib/server/config';
import { checkEndpoint } from '$lib/server/push/endpoint-safety';
import { describeStore, endpointPolicy } from '$lib/server/push/service';
import { exitOnConfigError, startPushSide } from '$lib/server/push/start';
import { vapidFileName } from '$lib/server/push/vapid';
import { fillClinicPlaceholders } from '$lib/server/page-shell';
import { config, setConfig, setPushRuntime } from '$lib/server/runtime';

export const init: ServerInit = async () => {
	try {
		const config = loadConfig(process.env);
		const { push } = config;
		console.info(
			`Care protocol: "${config.protocol.title}" v${config.protocol.version} (${config.protocolSource})`
		);
		if (config.logo) {
			console.info(`Clinic logo: ${config.logo.file} (${config.logo.type})`);
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

/** Every page is the same shell (`ssr = false`): it gets the clinic's name and colour. */
export const handle: Handle = ({ event, resolve }) =>
	resolve(event, {
		transformPageChunk: ({ html }) => fillClinicPlaceholders(html, config().protocol.clinic)
	});
