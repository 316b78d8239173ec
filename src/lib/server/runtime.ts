import type { ServerConfig } from './config';

let current: ServerConfig | null = null;

/** Set once by the `init` hook at start. */
export function setConfig(config: ServerConfig): void {
	current = config;
}

/** The configuration checked at start. */
export function config(): ServerConfig {
	if (!current) {
		throw new Error('The server configuration was read before the init hook ran');
	}
	return current;
}
