import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { describeProblems, parseProtocol, type Protocol } from '$lib/domain/protocol';
import { readLogo, type ClinicLogo } from './clinic-logo';
import type { RateLimit } from './rate-limit';
import { isVapidPrivateKey, isVapidPublicKey, isVapidSubject } from './push/vapid-format';

/** Push configuration, read from the environment. */
export interface PushConfig {
	/** Where the SQLite database and generated VAPID keys live (absolute path). */
	dataDir: string;
	/** VAPID keys from the environment, or `null` to use (or generate) `vapid.json` in `dataDir`. */
	vapidKeys: { publicKey: string; privateKey: string } | null;
	/** The contact the push services see in the VAPID token, or `null` when none is set. */
	vapidSubject: string | null;
	/**
	 * Host suffixes a subscription endpoint must match (default: the browsers' push services), or
	 * `'any'` for any public host (`PUSH_ENDPOINT_ALLOWLIST=*`).
	 */
	endpointAllowlist: string[] | 'any';
	/** Tests only: let https endpoints on loopback addresses through. */
	allowLoopbackEndpoints: boolean;
	/** Whether this process sends due reminders. */
	dispatcher: boolean;
	/**
	 * The app's public origin (`ORIGIN`, as adapter-node reads it), e.g.
	 * `https://care.example-clinic.org`: the link a notification opens. `null` when unset: the
	 * dispatcher has no request to learn it from, and sends the older push format.
	 */
	publicOrigin: string | null;
	/** PostgreSQL for several processes, or `null` for the embedded SQLite file in `dataDir`. */
	databaseUrl: string | null;
	/** How the dispatcher paces itself; the defaults suit most deployments. */
	dispatch: DispatchTuning;
}

/** The dispatcher's knobs, from `DISPATCH_*` variables. */
export interface DispatchTuning {
	/** Pause between rounds once nothing is due (`DISPATCH_INTERVAL_SECONDS`, default 5). */
	intervalMs: number;
	/** How long a claimed reminder stays with its sender (`DISPATCH_LEASE_SECONDS`, default 120). */
	leaseMs: number;
	/** Reminders claimed at a time (`DISPATCH_BATCH_SIZE`, default 200). */
	batchSize: number;
	/** Sends in flight per process (`DISPATCH_CONCURRENCY`, default 32). */
	concurrency: number;
	/** First retry delay, doubled per attempt (`DISPATCH_RETRY_BASE_SECONDS`, default 30). */
	retryBaseMs: number;
	/**
	 * The longest one send may take: connect, TLS and the push service's whole answer
	 * (`DISPATCH_SEND_DEADLINE_SECONDS`, default 10). The lease must be at least
	 * {@link leasePerDeadline} times as long.
	 */
	sendDeadlineMs: number;
	/**
	 * A subscription whose phone has not confirmed it (by opening the app) for this long is
	 * deleted (`SUBSCRIPTION_UNSEEN_DAYS`, default 60).
	 */
	unseenSubscriptionMs: number;
}

/**
 * The lease holds this many send deadlines: a reminder is only sent while a deadline's worth of
 * its lease is left, and a paused or starved process still records an answer that arrived
 * before another process may claim the reminder again.
 */
export const leasePerDeadline = 3;

/**
 * The push services of the browsers that can install the app, as host suffixes: Chrome, Edge on
 * Android and other Chromium browsers (Firebase Cloud Messaging), Firefox (Mozilla autopush:
 * updates.push.services.mozilla.com), Safari on iOS and macOS (web.push.apple.com), Edge on
 * Windows (WNS, e.g. wns2-par02p.notify.windows.com).
 */
export const defaultEndpointAllowlist: readonly string[] = [
	'fcm.googleapis.com',
	'push.services.mozilla.com',
	'push.apple.com',
	'notify.windows.com'
];

/** The dispatcher's knobs when no `DISPATCH_*` variable is set. */
export const defaultDispatchTuning: Readonly<DispatchTuning> = {
	intervalMs: 5_000,
	leaseMs: 120_000,
	batchSize: 200,
	concurrency: 32,
	retryBaseMs: 30_000,
	sendDeadlineMs: 10_000,
	unseenSubscriptionMs: 60 * 86_400_000
};

/** The dispatcher's settings that no variable changes (tests pass their own). */
export interface FixedDispatchSettings {
	/** Longest pause after failed rounds (store unreachable), doubling from the interval. */
	maxBackoffMs: number;
	/** How long a push service may hold a message for an offline phone. */
	ttlSeconds: number;
	/** Attempts before giving a reminder up. */
	maxAttempts: number;
	/** Longest retry delay, also for Retry-After. */
	retryMaxMs: number;
	/** How long a finished reminder's id is kept, from the UTC midnight after it finished. */
	keepFinishedMs: number;
	/** How often finished reminders and unused subscriptions are removed. */
	purgeEveryMs: number;
	/** How long a delivery may wait to be recorded with the ones that follow it (group commit). */
	recordDelayMs: number;
	/** The most deliveries written in one transaction; past it, sending waits for the store. */
	recordBatchSize: number;
	/** Deliveries kept in memory while the store is down; beyond it their leases decide. */
	maxUnrecorded: number;
}

/** With {@link defaultDispatchTuning}, every default the dispatcher has. */
export const fixedDispatchSettings: Readonly<FixedDispatchSettings> = {
	maxBackoffMs: 60_000,
	ttlSeconds: 6 * 60 * 60,
	maxAttempts: 5,
	retryMaxMs: 60 * 60 * 1000,
	keepFinishedMs: 86_400_000,
	purgeEveryMs: 60 * 60 * 1000,
	recordDelayMs: 10,
	recordBatchSize: 500,
	maxUnrecorded: 10_000
};

/** Per-client rate limits of the push API (`null`: no limit), per process. */
export interface ApiLimits {
	/** `POST /api/push/subscriptions`: unauthenticated, so strict. */
	subscribe: RateLimit | null;
	/** `PUT` and `DELETE` of a subscription: authenticated, looser. */
	update: RateLimit | null;
}

/** The API limits when no variable is set: see docs/operations.md. */
export const defaultApiLimits: Readonly<{ subscribe: RateLimit; update: RateLimit }> = {
	subscribe: { burst: 10, perMinute: 6 },
	update: { burst: 30, perMinute: 60 }
};

/** The server's configuration, read from the environment and checked once at start. */
export interface ServerConfig {
	/**
	 * The protocol a patient gets without asking for one. As the phones get every protocol, its
	 * `clinic.logo` is the logo's address, not its file.
	 */
	protocol: Protocol;
	/** Every protocol this server offers by id, the default among them. */
	protocols: ReadonlyMap<string, Protocol>;
	/** Where the protocols came from: a file, a folder, or the bundled default. */
	protocolSource: string;
	/**
	 * What is fine to serve but worth a look, logged at start: texts a protocol's translation
	 * lacks (the patients reading that language see them in the protocol's own), a line per
	 * language, each starting with the file.
	 */
	protocolWarnings: string[];
	/** The clinics' logos (`clinic.logo` of each protocol), checked at start, by their tag. */
	logos: ReadonlyMap<string, ClinicLogo>;
	/** Web Push reminders. */
	push: PushConfig;
	/** Rate limits per client address. */
	limits: ApiLimits;
	/**
	 * Whether `/clinic` (staff make a patient's enrolment link, QR code and handout) is served
	 * (`CLINIC_PAGE`, default on). Off for a clinic whose booking system builds the links itself.
	 */
	clinicPage: boolean;
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
	const problems: string[] = [];
	let protocol: ProtocolsLoaded | null = null;
	try {
		protocol = loadProtocols(env);
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}
		problems.push(error.message);
	}
	const push = loadPushConfig(env, problems);
	const limits: ApiLimits = {
		subscribe: readRateLimit(env, 'SUBSCRIBE', defaultApiLimits.subscribe, problems),
		update: readRateLimit(env, 'API', defaultApiLimits.update, problems)
	};
	const clinicPage = readSwitch(env, 'CLINIC_PAGE', true, problems);
	if (problems.length > 0 || !protocol) {
		throw new ConfigError(problems.join('\n'));
	}
	return { ...protocol, push, limits, clinicPage };
}

/**
 * Reads `<prefix>_RATE_PER_MINUTE` and `<prefix>_BURST`; a rate of 0 turns the limit off.
 * @param problems collects `VARIABLE: reason` lines
 */
function readRateLimit(
	env: Record<string, string | undefined>,
	prefix: string,
	fallback: RateLimit,
	problems: string[]
): RateLimit | null {
	const perMinute = readNumber(
		env,
		`${prefix}_RATE_PER_MINUTE`,
		fallback.perMinute,
		0,
		1_000_000,
		problems
	);
	const burst = readNumber(env, `${prefix}_BURST`, fallback.burst, 1, 1_000_000, problems);
	return perMinute === 0 ? null : { perMinute, burst };
}

type ProtocolsLoaded = Pick<
	ServerConfig,
	'protocol' | 'protocols' | 'protocolSource' | 'protocolWarnings' | 'logos'
>;

/**
 * Reads `PROTOCOL_DIR` (every `.json` file in it, one protocol each, the default named by
 * `DEFAULT_PROTOCOL` when there are several), or `PROTOCOL_FILE`, or the bundled protocol.
 * @throws ConfigError naming every problem of every file
 */
function loadProtocols(env: Record<string, string | undefined>): ProtocolsLoaded {
	const file = env.PROTOCOL_FILE?.trim();
	const dir = env.PROTOCOL_DIR?.trim();
	if (file && dir) {
		throw new ConfigError('PROTOCOL_FILE and PROTOCOL_DIR: set one of them, not both');
	}
	const logos = new Map<string, ClinicLogo>();
	const protocolWarnings: string[] = [];
	if (!dir) {
		const protocol = file
			? readProtocolFile('PROTOCOL_FILE', resolve(file), logos, protocolWarnings)
			: defaultProtocol();
		return {
			protocol,
			protocols: new Map([[protocol.id, protocol]]),
			protocolSource: file ? resolve(file) : 'bundled default',
			protocolWarnings,
			logos
		};
	}
	const folder = resolve(dir);
	let names: string[];
	try {
		names = readdirSync(folder)
			.filter((name) => name.endsWith('.json'))
			.sort();
	} catch (error) {
		throw new ConfigError(`PROTOCOL_DIR: cannot read ${folder}: ${(error as Error).message}`);
	}
	if (names.length === 0) {
		throw new ConfigError(`PROTOCOL_DIR: ${folder} holds no .json protocol file`);
	}
	const problems: string[] = [];
	const protocols = new Map<string, Protocol>();
	const fileOf = new Map<string, string>();
	for (const name of names) {
		try {
			const protocol = readProtocolFile(
				'PROTOCOL_DIR',
				join(folder, name),
				logos,
				protocolWarnings
			);
			const other = fileOf.get(protocol.id);
			if (other) {
				problems.push(`PROTOCOL_DIR: ${name} and ${other} both have the id "${protocol.id}"`);
				continue;
			}
			protocols.set(protocol.id, protocol);
			fileOf.set(protocol.id, name);
		} catch (error) {
			if (!(error instanceof ConfigError)) {
				throw error;
			}
			problems.push(error.message);
		}
	}
	const wanted = env.DEFAULT_PROTOCOL?.trim();
	const ids = [...fileOf.keys()];
	let protocol: Protocol | undefined;
	if (wanted) {
		protocol = protocols.get(wanted);
		if (!protocol && problems.length === 0) {
			problems.push(
				`DEFAULT_PROTOCOL: no protocol in ${folder} has the id "${wanted}" (there are: ${ids.join(', ')})`
			);
		}
	} else if (protocols.size === 1) {
		protocol = protocols.values().next().value;
	} else if (problems.length === 0) {
		problems.push(
			`DEFAULT_PROTOCOL: ${folder} holds ${protocols.size} protocols; name the one a patient gets without a link (one of: ${ids.join(', ')})`
		);
	}
	if (problems.length > 0 || !protocol) {
		throw new ConfigError(problems.join('\n'));
	}
	return { protocol, protocols, protocolSource: folder, protocolWarnings, logos };
}

/**
 * Reads and checks one protocol file, and its clinic's logo.
 * @param variable the variable that named it, to start each message with
 * @param logos gets the logo, by its tag; the protocol returned names the logo by its address
 * @param warnings gets the protocol's warnings (untranslated texts), each naming the file
 * @throws ConfigError naming every problem
 */
function readProtocolFile(
	variable: string,
	path: string,
	logos: Map<string, ClinicLogo>,
	warnings: string[]
): Protocol {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new ConfigError(`${variable}: cannot read ${path}: ${(error as Error).message}`);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new ConfigError(`${variable}: ${path} is not valid JSON: ${(error as Error).message}`);
	}
	const result = parseProtocol(json);
	if (!result.ok) {
		throw new ConfigError(
			`${variable}: ${path} is not a valid care protocol (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):\n${describeProblems(result.problems)}`
		);
	}
	const { protocol } = result;
	warnings.push(...result.warnings.map((warning) => `${path}: ${warning}`));
	if (!protocol.clinic.logo) {
		return protocol;
	}
	const read = readLogo(path, protocol.clinic.logo);
	if ('problem' in read) {
		throw new ConfigError(`${variable}: clinic.logo: ${read.problem}`);
	}
	logos.set(read.logo.tag, read.logo);
	return { ...protocol, clinic: { ...protocol.clinic, logo: read.logo.url } };
}

/**
 * Reads only the push variables, for a process that sends reminders and serves nothing.
 * @param env usually `process.env`
 * @throws ConfigError naming every problem
 */
export function loadPushSettings(env: Record<string, string | undefined>): PushConfig {
	const problems: string[] = [];
	const push = loadPushConfig(env, problems);
	if (problems.length > 0) {
		throw new ConfigError(problems.join('\n'));
	}
	return push;
}

/**
 * Reads the push variables, adding one line per problem to `problems`.
 * @param env usually `process.env`
 * @param problems collects `VARIABLE: reason` lines
 */
function loadPushConfig(env: Record<string, string | undefined>, problems: string[]): PushConfig {
	const dataDir = resolve(env.DATA_DIR?.trim() || './data');

	const publicKey = env.VAPID_PUBLIC_KEY?.trim() ?? '';
	const privateKey = env.VAPID_PRIVATE_KEY?.trim() ?? '';
	let vapidKeys: PushConfig['vapidKeys'] = null;
	if (publicKey || privateKey) {
		if (!publicKey || !privateKey) {
			problems.push(
				'VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both or neither (without them the server generates a pair in DATA_DIR)'
			);
		} else {
			if (!isVapidPublicKey(publicKey)) {
				problems.push(
					'VAPID_PUBLIC_KEY: must be the base64url of an uncompressed P-256 public key (65 bytes)'
				);
			}
			if (!isVapidPrivateKey(privateKey)) {
				problems.push('VAPID_PRIVATE_KEY: must be the base64url of a P-256 private key (32 bytes)');
			}
			vapidKeys = { publicKey, privateKey };
		}
	}

	const subject = env.VAPID_SUBJECT?.trim() || null;
	if (subject !== null && !isVapidSubject(subject)) {
		problems.push(
			'VAPID_SUBJECT: must be a mailto: address or an https: URL where the push services can reach you (e.g. mailto:it@example-clinic.org)'
		);
	}

	const endpointAllowlist = readAllowlist(env.PUSH_ENDPOINT_ALLOWLIST, problems);

	const publicOrigin = readOrigin(env, problems);

	const databaseUrl = env.DATABASE_URL?.trim() || null;
	if (databaseUrl !== null) {
		if (!/^postgres(ql)?:\/\/./.test(databaseUrl)) {
			problems.push(
				'DATABASE_URL: must be a postgres:// URL (leave it unset for the embedded store)'
			);
		}
		// Every process must sign with the same keys: keys generated into one process's DATA_DIR
		// would make the others' pushes fail.
		if (!vapidKeys) {
			problems.push(
				'VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: required with DATABASE_URL, so that every process signs with the same keys (make a pair with: npx web-push generate-vapid-keys)'
			);
		}
	}

	const seconds = (name: string, fallback: number, min: number, max: number) =>
		readNumber(env, name, fallback, min, max, problems) * 1000;
	const defaults = defaultDispatchTuning;
	const dispatch: DispatchTuning = {
		intervalMs: seconds('DISPATCH_INTERVAL_SECONDS', defaults.intervalMs / 1000, 0.1, 3600),
		leaseMs: seconds('DISPATCH_LEASE_SECONDS', defaults.leaseMs / 1000, 1, 3600),
		batchSize: readNumber(env, 'DISPATCH_BATCH_SIZE', defaults.batchSize, 1, 10_000, problems),
		concurrency: readNumber(env, 'DISPATCH_CONCURRENCY', defaults.concurrency, 1, 1000, problems),
		retryBaseMs: seconds('DISPATCH_RETRY_BASE_SECONDS', defaults.retryBaseMs / 1000, 0.1, 3600),
		sendDeadlineMs: seconds(
			'DISPATCH_SEND_DEADLINE_SECONDS',
			defaults.sendDeadlineMs / 1000,
			0.5,
			120
		),
		unseenSubscriptionMs:
			readNumber(
				env,
				'SUBSCRIPTION_UNSEEN_DAYS',
				defaults.unseenSubscriptionMs / 86_400_000,
				1,
				3650,
				problems
			) * 86_400_000
	};
	if (dispatch.leaseMs < leasePerDeadline * dispatch.sendDeadlineMs) {
		const least = (leasePerDeadline * dispatch.sendDeadlineMs) / 1000;
		problems.push(
			`DISPATCH_LEASE_SECONDS: must be at least ${leasePerDeadline} × DISPATCH_SEND_DEADLINE_SECONDS (${least} s), so that every send ends well inside its lease and a paused process never sends a reminder another has claimed; raise the lease or lower the deadline`
		);
	}

	return {
		dataDir,
		databaseUrl,
		dispatch,
		vapidKeys,
		vapidSubject: subject,
		endpointAllowlist,
		allowLoopbackEndpoints: readSwitch(env, 'PUSH_ALLOW_LOOPBACK_ENDPOINTS', false, problems),
		dispatcher: readSwitch(env, 'DISPATCHER', true, problems),
		publicOrigin
	};
}

/**
 * Reads `PUSH_ENDPOINT_ALLOWLIST`: unset or empty means the browsers' push services, `*` any
 * public host, else comma-separated host suffixes.
 */
function readAllowlist(raw: string | undefined, problems: string[]): string[] | 'any' {
	const hosts = (raw ?? '')
		.split(',')
		.map((host) => host.trim().toLowerCase().replace(/^\./, ''))
		.filter((host) => host !== '');
	if (hosts.length === 0) {
		return [...defaultEndpointAllowlist];
	}
	if (hosts.includes('*')) {
		if (hosts.length > 1) {
			problems.push(
				'PUSH_ENDPOINT_ALLOWLIST: * (any public host) stands alone, without host names'
			);
		}
		return 'any';
	}
	for (const host of hosts) {
		if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host)) {
			problems.push(`PUSH_ENDPOINT_ALLOWLIST: "${host}" is not a host name`);
		}
	}
	return hosts;
}

/** Host names of this machine, where plain http is still a secure context (development, tests). */
const loopbackHost = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Reads `ORIGIN`: an https origin (http only on loopback), without path, query or credentials.
 * @returns the origin as the browser writes it, or null when unset or wrong (a problem is added)
 */
function readOrigin(env: Record<string, string | undefined>, problems: string[]): string | null {
	const raw = env.ORIGIN?.trim();
	if (!raw) {
		return null;
	}
	let url: URL | null = null;
	try {
		url = new URL(raw);
	} catch {
		// Reported below.
	}
	const bare =
		url !== null &&
		url.pathname === '/' &&
		!url.search &&
		!url.hash &&
		!url.username &&
		!url.password &&
		!raw.endsWith('?') &&
		!raw.endsWith('#');
	const secure =
		url !== null &&
		(url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHost.test(url.hostname)));
	if (!url || !bare || !secure) {
		problems.push(
			`ORIGIN: must be the app's public https origin without a path, e.g. https://care.example-clinic.org (http only for localhost), not "${env.ORIGIN}"`
		);
		return null;
	}
	return url.origin;
}

const switchValues: Record<string, boolean> = {
	'1': true,
	true: true,
	on: true,
	'0': false,
	false: false,
	off: false
};

/** Reads a number within [min, max]; anything else is a problem rather than a silent default. */
function readNumber(
	env: Record<string, string | undefined>,
	name: string,
	fallback: number,
	min: number,
	max: number,
	problems: string[]
): number {
	const raw = env[name]?.trim();
	if (!raw) {
		return fallback;
	}
	const value = Number(raw);
	if (!Number.isFinite(value) || value < min || value > max) {
		problems.push(`${name}: must be a number from ${min} to ${max}, not "${env[name]}"`);
		return fallback;
	}
	return value;
}

/** Reads an on/off variable; an unknown value is a problem rather than a silent default. */
function readSwitch(
	env: Record<string, string | undefined>,
	name: string,
	fallback: boolean,
	problems: string[]
): boolean {
	const raw = env[name]?.trim().toLowerCase();
	if (!raw) {
		return fallback;
	}
	const value = switchValues[raw];
	if (value === undefined) {
		problems.push(`${name}: must be on or off (1/0, true/false), not "${env[name]}"`);
		return fallback;
	}
	return value;
}
