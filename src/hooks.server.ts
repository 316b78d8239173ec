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
		for (const protocol of config.protocols.values()) {
			const fallback = protocol.id === config.protocol.id && config.protocols.size > 1;
			console.info(
				`Care protocol: "${protocol.title}" v${protocol.version}, id ${protocol.id}${fallback ? ', the default' : ''} (${config.protocolSource})`
			);
		}
		for (const warning of config.protocolWarnings) {
			console.warn(`Care protocol: ${warning}`);
		}
		for (const logo of config.logos.values()) {
			console.info(`Clinic logo: ${logo.file} (${logo.type})`);
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

/**
 * Every page is the same shell (`ssr = false`): it gets the clinic's name and colour (the default
 * protocol's clinic). With `CLINIC_PAGE=off`, `/clinic` answers 404: SvelteKit would send its
 * shell with a 200 and leave the 404 to the page's load in the browser (which shows the app's
 * error page); this gives the address its true status too.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => fillClinicPlaceholders(html, config().protocol.clinic)
	});
	if (event.route.id === '/clinic' && !event.isDataRequest && !config().clinicPage) {
		return new Response(response.body, { status: 404, headers: response.headers });
	}
	return response;
};
