import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PushConfig } from '../config';
import webpush from 'web-push';
import { ConfigError } from '../config';
import { isVapidPrivateKey, isVapidPublicKey } from './vapid-format';

/** Used in tokens when no VAPID_SUBJECT is set. FCM and Mozilla accept it; Apple does not. */
export const placeholderVapidSubject = 'mailto:admin@localhost';

/** The keys and contact the server signs its push requests with. */
export interface VapidDetails {
	/** base64url, uncompressed P-256 point: what browsers pass as `applicationServerKey`. */
	publicKey: string;
	/** base64url, 32 bytes. */
	privateKey: string;
	/** The `sub` claim: VAPID_SUBJECT, or the placeholder. */
	subject: string;
	/** Where the keys came from, for the start-up log. */
	source: 'environment' | 'generated' | 'file';
	/** False when `subject` is the placeholder: Apple's push service then rejects every push. */
	subjectConfigured: boolean;
}

/**
 * A new VAPID key pair, base64url encoded.
 */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
	return webpush.generateVAPIDKeys();
}

/** Name of the key file in DATA_DIR. */
export const vapidFileName = 'vapid.json';

/**
 * The VAPID details: keys from the environment, else from `DATA_DIR/vapid.json`, else a new pair
 * generated and written there (mode 0600) so restarts keep existing subscriptions valid.
 * @param config the push configuration
 * @param generate makes a new key pair (tests pass their own)
 * @throws ConfigError when the key file cannot be read, parsed or written
 */
export function loadVapidDetails(
	config: PushConfig,
	generate: () => { publicKey: string; privateKey: string } = generateVapidKeys
): VapidDetails {
	const subjectConfigured = config.vapidSubject !== null;
	const subject = config.vapidSubject ?? placeholderVapidSubject;
	if (config.vapidKeys) {
		return { ...config.vapidKeys, subject, source: 'environment', subjectConfigured };
	}
	const path = join(config.dataDir, vapidFileName);
	let text: string | null = null;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw new ConfigError(`DATA_DIR: cannot read ${path}: ${(error as Error).message}`);
		}
	}
	if (text !== null) {
		const keys = parseKeyFile(text, path);
		// Older or hand-copied files may be readable by others; the private key must not be.
		if ((statSync(path).mode & 0o077) !== 0) {
			chmodSync(path, 0o600);
		}
		return { ...keys, subject, source: 'file', subjectConfigured };
	}
	const keys = generate();
	try {
		mkdirSync(config.dataDir, { recursive: true });
		// 'wx': never overwrite a file another process wrote meanwhile.
		writeFileSync(path, `${JSON.stringify(keys, null, '\t')}\n`, { mode: 0o600, flag: 'wx' });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
			return loadVapidDetails(config, generate);
		}
		throw new ConfigError(`DATA_DIR: cannot write ${path}: ${(error as Error).message}`);
	}
	return { ...keys, subject, source: 'generated', subjectConfigured };
}

function parseKeyFile(text: string, path: string): { publicKey: string; privateKey: string } {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new ConfigError(`DATA_DIR: ${path} is not valid JSON; delete it to generate new keys`);
	}
	const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
	const { publicKey, privateKey } = record;
	if (
		typeof publicKey !== 'string' ||
		typeof privateKey !== 'string' ||
		!isVapidPublicKey(publicKey) ||
		!isVapidPrivateKey(privateKey)
	) {
		throw new ConfigError(
			`DATA_DIR: ${path} does not hold a VAPID key pair ({"publicKey", "privateKey"}, base64url)`
		);
	}
	return { publicKey, privateKey };
}
