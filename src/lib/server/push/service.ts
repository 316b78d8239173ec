import { join } from 'node:path';
import { ConfigError, type PushConfig } from '../config';
import { PostgresStore } from '../store/postgres-store';
import { SqliteStore } from '../store/sqlite-store';
import { StoreUnavailableError, type PushStore } from '../store/types';
import { Dispatcher } from './dispatcher';
import {
	checkEndpoint,
	createGuardedAgent,
	rememberPassedHosts,
	type EndpointPolicy
} from './endpoint-safety';
import { createWebPushSender } from './send';
import type { VapidDetails } from './vapid';

/** How long a starting process waits for PostgreSQL (it may be starting too). */
const databaseWaitMs = 30_000;

/**
 * `postgres://user:***@host:port/db`: a URL fit for logs.
 * @param url a connection URL, possibly with a password
 */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) {
			parsed.password = '***';
		}
		return parsed.toString();
	} catch {
		return 'postgres://…';
	}
}

/**
 * Opens the store the configuration names: PostgreSQL with DATABASE_URL (waiting up to 30 s for
 * it to come up), else the SQLite file in DATA_DIR.
 * @throws ConfigError when it cannot be opened; the message says what to fix
 */
export async function openPushStore(
	push: PushConfig,
	log: Pick<Console, 'warn'> = console
): Promise<PushStore> {
	if (push.databaseUrl) {
		const started = Date.now();
		for (let attempt = 1; ; attempt += 1) {
			try {
				return await PostgresStore.open({ connectionString: push.databaseUrl });
			} catch (error) {
				const waited = Date.now() - started;
				if (!(error instanceof StoreUnavailableError) || waited >= databaseWaitMs) {
					throw new ConfigError(
						`DATABASE_URL: cannot use ${redactUrl(push.databaseUrl)}: ${(error as Error).message}`
					);
				}
				const delay = Math.min(1000 * attempt, 5000);
				log.warn(
					`PostgreSQL not reachable yet (${(error as Error).message}); trying again in ${delay / 1000} s`
				);
				await new Promise((resolve) => setTimeout(resolve, delay));
			}
		}
	}
	const path = join(push.dataDir, 'aftercare.sqlite');
	try {
		return new SqliteStore(path);
	} catch (error) {
		throw new ConfigError(`DATA_DIR: cannot open ${path}: ${(error as Error).message}`);
	}
}

/** Where subscription endpoints may point, from the configuration. */
export function endpointPolicy(push: PushConfig): EndpointPolicy {
	return { allowlist: push.endpointAllowlist, allowLoopback: push.allowLoopbackEndpoints };
}

/** Where the store lives, for the start-up line. */
export function describeStore(store: PushStore, push: PushConfig): string {
	return push.databaseUrl
		? `${store.name} at ${redactUrl(push.databaseUrl)}`
		: `${store.name} in ${push.dataDir}`;
}

/**
 * Starts sending due reminders from `store`, signed with `vapid`, over connections that vet every
 * address they resolve (DNS may change after a subscription was checked).
 * @returns `stop()`, which lets the sends in flight finish (each within the send deadline) and
 *   closes the connections
 */
export function startDispatcher(
	push: PushConfig,
	vapid: VapidDetails,
	store: PushStore
): { stop: () => Promise<void> } {
	const policy = endpointPolicy(push);
	const agent = createGuardedAgent(policy);
	const dispatcher = new Dispatcher({
		...push.dispatch,
		appOrigin: push.publicOrigin,
		now: Date.now,
		store,
		send: createWebPushSender(vapid, { agent, deadlineMs: push.dispatch.sendDeadlineMs }),
		checkEndpoint: rememberPassedHosts((endpoint) => checkEndpoint(endpoint, policy)),
		onRound: (summary, ms) => {
			const { sent, retried, failed, expired, gone, leaseLapsed } = summary;
			if (sent + retried + failed + expired + gone + leaseLapsed > 0) {
				console.info(
					`Push: round of ${ms} ms: sent ${sent}, retried ${retried}, failed ${failed}, expired ${expired}, gone ${gone}, lease lapsed ${leaseLapsed}`
				);
			}
		}
	});
	dispatcher.start();
	return {
		async stop() {
			await dispatcher.stop();
			agent.destroy();
		}
	};
}

/** Start-up warnings about settings that work but should not stay (web server and dispatcher). */
export function warnAboutPushSettings(push: PushConfig, vapid: VapidDetails): void {
	if (!vapid.subjectConfigured) {
		console.warn(
			`WARNING: VAPID_SUBJECT is not set. Pushes are signed with the placeholder "${vapid.subject}", which Apple's push service rejects: iPhones and Macs get no reminders until VAPID_SUBJECT is set to a mailto: address or https: URL where you can be reached.`
		);
	}
	if (push.dispatcher && push.publicOrigin === null) {
		console.warn(
			"WARNING: ORIGIN is not set, so reminders go out without the link a tap opens (Declarative Web Push): Safari on iPhone, iPad and Mac then shows them only while the app's service worker runs, and may drop reminders it cannot show. Set ORIGIN to the app's public address, e.g. https://care.example-clinic.org."
		);
	}
	if (push.allowLoopbackEndpoints) {
		console.warn(
			'WARNING: PUSH_ALLOW_LOOPBACK_ENDPOINTS is on: subscriptions may point at https endpoints on this machine. For tests only; never in production.'
		);
	}
}
