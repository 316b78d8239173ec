import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { describeProblems, parseProtocol, type Protocol } from '$lib/domain/protocol';

/** The server's configuration, read from the environment and checked once at start. */
export interface ServerConfig {
	protocol: Protocol;
	/** Where the protocol came from: a file path, or the bundled default. */
	protocolSource: string;
}

/** Configuration that cannot work; the message says what to fix. */
export class ConfigError extends Error {
	override name = 'ConfigError';
}

/**
 * Reads the configuration from environment variables.
 * @param env usually `process.env`
 * @throws ConfigError naming every problem, so the server stops before serving anything wrong
 */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
	const file = env.PROTOCOL_FILE?.trim();
	if (!file) {
		return { protocol: defaultProtocol(), protocolSource: 'bundled default' };
	}
	const path = resolve(file);
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new ConfigError(`PROTOCOL_FILE: cannot read ${path}: ${(error as Error).message}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`PROTOCOL_FILE: ${path} is not valid JSON: ${(error as Error).message}`);
	}
	const result = parseProtocol(json);
	if (!result.ok) {
		throw new ConfigError(
			`PROTOCOL_FILE: ${path} is not a valid care protocol (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n${describeProblems(result.problems)}`
		);
	}
	return { protocol: result.protocol, protocolSource: path };
}
