import type { ServerInit } from '@sveltejs/kit';
import { ConfigError, loadConfig } from '$lib/server/config';
import { setConfig } from '$lib/server/runtime';

export const init: ServerInit = () => {
	try {
		const config = loadConfig(process.env);
		setConfig(config);
		console.info(
			`Care protocol: "${config.protocol.title}" v${config.protocol.version} (${config.protocolSource})`
		);
	} catch (error) {
		if (error instanceof ConfigError) {
			// Stop with the message alone: a stack trace would bury what the clinic has to fix.
			console.error(`Aftercare Companion cannot start.\n${error.message}`);
			process.exit(1);
		}
		throw error;
	}
};
