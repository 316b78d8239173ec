import type { PushRegistration, PushSetting } from '$lib/device/db';
import { fromBase64url, opaqueIds } from '$lib/device/opaque-id';
import type { Protocol } from '$lib/domain/protocol';
import {
	apiReminders,
	nextMirror,
	reminderRecords,
	type ReminderRecord
} from '$lib/domain/reminders';
import type { PlannedTask, Treatment } from '$lib/domain/schedule';
import {
	deleteSubscription,
	fetchPublicKey,
	isNetworkFailure,
	PushApiError,
	subscriptionJson,
	upsertSubscription,
	type SubscriptionBody
} from './push-api';

/**
 * Where push reminders stand, as the patient is told:
 * - `unsupported`: this browser cannot receive push messages;
 * - `ios-needs-install`: Safari on iPhone or iPad, which has push only for an installed app;
 * - `blocked`: the patient (or the browser) denied notifications;
 * - `off`, `on`;
 * - `offline-pending`: a change waits for a connection;
 * - `no-push-service`: the browser has push, but would not subscribe (no push service it can
 *   reach, as in a Playwright context or a Chromium without Google's): reminders stay off until
 *   the patient tries again.
 */
export type ReminderState =
	| 'unsupported'
	| 'ios-needs-install'
	| 'blocked'
	| 'off'
	| 'on'
	| 'offline-pending'
	| 'no-push-service';

/** The browser's side: push, notifications, connection and the network. */
export interface PushPlatform {
	/** The service worker registration's push manager, or null when push is unsupported. */
	pushManager(): Promise<PushManager | null>;
	/** Whether push can work here at all (service worker, PushManager and Notification). */
	supported: boolean;
	/** Safari on iPhone or iPad, not started from the home screen. */
	iosNeedsInstall: boolean;
	/** `Notification.permission`. */
	permission(): NotificationPermission;
	/** `Notification.requestPermission()`: only ever after the patient asked for reminders. */
	requestPermission(): Promise<NotificationPermission>;
	online(): boolean;
	fetch: typeof fetch;
}

/** What the reminders are made from: the care plan as it stands. */
export interface ReminderSource {
	protocol: Protocol;
	/** `CarePlan.pendingReminders()` */
	pending: readonly PlannedTask[];
	/** The sessions, for the words of an appointment's reminder. */
	treatments: readonly Treatment[];
	/** Ids of ticked-off occurrences. */
	done: ReadonlySet<string>;
	now: number;
}

/** The storage `PushReminders` needs (`ReminderStore`). */
export interface PushStore {
	secret(): Promise<Uint8Array<ArrayBuffer>>;
	mirror(): Promise<ReminderRecord[]>;
	updateMirror(next: (current: ReminderRecord[]) => ReminderRecord[]): Promise<ReminderRecord[]>;
	push(): Promise<PushSetting>;
	putPush(value: PushSetting): Promise<void>;
}

/** What happened to a request to change reminders. */
export type Outcome = 'done' | 'offline' | 'permission-denied' | 'unsupported' | 'no-push-service';

/**
 * Keeps the push server's copy of the reminders in step with the plan: subscribes when the
 * patient turns reminders on, replaces the reminder set when the plan changes, re-subscribes when
 * the browser lost or replaced the subscription, and unsubscribes when turned off. It never asks
 * for permission except in `turnOn`.
 */
export class PushReminders {
	/** Set while a change waits for a connection. */
	private waitingForConnection = false;
	/** Set when the browser would not subscribe, until the patient asks again. */
	private noPushService = false;
	/** The last body the server accepted, to skip sending the same again. */
	private lastSent: string | null = null;

	/**
	 * @param platform the browser's push, permission and network
	 * @param store where the choice, registration, secret and mirror are kept
	 */
	constructor(
		private readonly platform: PushPlatform,
		private readonly store: PushStore
	) {}

	/** Where reminders stand now. */
	async state(): Promise<ReminderState> {
		if (this.platform.iosNeedsInstall) {
			return 'ios-needs-install';
		}
		if (!this.platform.supported) {
			return 'unsupported';
		}
		if (this.platform.permission() === 'denied') {
			return 'blocked';
		}
		if (this.waitingForConnection) {
			return 'offline-pending';
		}
		if (this.noPushService) {
			return 'no-push-service';
		}
		const { wanted, server } = await this.store.push();
		return wanted && server && this.platform.permission() === 'granted' ? 'on' : 'off';
	}

	/**
	 * Rewrites the mirror from the plan and, when reminders are on, brings the server up to date.
	 * Never asks for permission.
	 * @param source the plan as it stands
	 * @param force send even when nothing seems to have changed (on opening the app)
	 */
	async sync(source: ReminderSource, force = false): Promise<Outcome> {
		const mirror = await this.writeMirror(source);
		const setting = await this.store.push();
		if (!setting.wanted && setting.server) {
			// Turning off did not reach the server before: finish it.
			return this.turnOff();
		}
		if (!setting.wanted || !this.platform.supported) {
			this.waitingForConnection = false;
			return 'done';
		}
		if (this.platform.permission() !== 'granted') {
			return 'permission-denied';
		}
		return this.send(mirror, source.now, setting, force);
	}

	/**
	 * Turns reminders on: asks for permission (call it from the patient's tap), subscribes and
	 * registers the reminders.
	 * @param source the plan as it stands
	 */
	async turnOn(source: ReminderSource): Promise<Outcome> {
		if (!this.platform.supported || this.platform.iosNeedsInstall) {
			return 'unsupported';
		}
		const permission = await this.platform.requestPermission();
		if (permission !== 'granted') {
			return 'permission-denied';
		}
		this.noPushService = false;
		const setting = await this.store.push();
		await this.store.putPush({ ...setting, wanted: true });
		const mirror = await this.writeMirror(source);
		return this.send(mirror, source.now, { ...setting, wanted: true }, true);
	}

	/** Turns reminders off: deletes them on the server and unsubscribes. */
	async turnOff(): Promise<Outcome> {
		const setting = await this.store.push();
		await this.store.putPush({ ...setting, wanted: false });
		this.lastSent = null;
		if (setting.server) {
			if (!this.platform.online()) {
				this.waitingForConnection = true;
				return 'offline';
			}
			try {
				await deleteSubscription(this.platform.fetch, setting.server);
			} catch (error) {
				return this.offlineOr(error);
			}
		}
		const manager = await this.platform.pushManager();
		const subscription = await manager?.getSubscription();
		await subscription?.unsubscribe();
		await this.store.putPush({ wanted: false, server: null });
		this.waitingForConnection = false;
		return 'done';
	}

	private async send(
		mirror: readonly ReminderRecord[],
		now: number,
		setting: PushSetting,
		force: boolean
	): Promise<Outcome> {
		if (!this.platform.online()) {
			this.waitingForConnection = true;
			return 'offline';
		}
		try {
			const manager = await this.platform.pushManager();
			if (!manager) {
				return 'unsupported';
			}
			let subscription =
				(await manager.getSubscription()) ??
				(await this.subscribe(manager, await fetchPublicKey(this.platform.fetch)));
			if (!subscription) {
				return this.givenUp(setting);
			}
			let body: SubscriptionBody = {
				subscription: subscriptionJson(subscription),
				reminders: apiReminders(mirror, now)
			};
			const text = JSON.stringify(body);
			const sameEndpoint = setting.server?.endpoint === body.subscription.endpoint;
			if (!force && sameEndpoint && text === this.lastSent) {
				this.waitingForConnection = false;
				return 'done';
			}
			let server: PushRegistration;
			try {
				server = await upsertSubscription(this.platform.fetch, setting.server, body);
			} catch (error) {
				if (!(error instanceof PushApiError && error.endpointTaken)) {
					throw error;
				}
				// The server knows this endpoint under other keys: a new one from the browser.
				await subscription.unsubscribe();
				subscription = await this.subscribe(manager, await fetchPublicKey(this.platform.fetch));
				if (!subscription) {
					return this.givenUp(setting);
				}
				body = { ...body, subscription: subscriptionJson(subscription) };
				server = await upsertSubscription(this.platform.fetch, null, body);
			}
			await this.store.putPush({ wanted: true, server });
			this.lastSent = JSON.stringify(body);
			this.waitingForConnection = false;
			return 'done';
		} catch (error) {
			return this.offlineOr(error);
		}
	}

	/**
	 * Subscribes with the browser's push service.
	 * @returns null when the browser would not: it has no push service it can reach ("AbortError:
	 *   Registration failed - permission denied" although notifications are allowed). That is the
	 *   browser's doing, not the app's server's, and trying again by itself would fail the same way.
	 */
	private async subscribe(
		manager: PushManager,
		publicKey: string
	): Promise<PushSubscription | null> {
		try {
			return await manager.subscribe({
				userVisibleOnly: true,
				applicationServerKey: fromBase64url(publicKey)
			});
		} catch (error) {
			if (!this.platform.online()) {
				throw error;
			}
			console.warn('The browser would not subscribe to push:', error);
			return null;
		}
	}

	/** Stops wanting reminders this browser cannot deliver, so no sync tries again by itself. */
	private async givenUp(setting: PushSetting): Promise<Outcome> {
		this.noPushService = true;
		this.waitingForConnection = false;
		this.lastSent = null;
		// A registration left from before is deleted by the next sync (registered, not wanted).
		await this.store.putPush({ ...setting, wanted: false });
		return 'no-push-service';
	}

	private offlineOr(error: unknown): Outcome {
		if (isNetworkFailure(error) || !this.platform.online()) {
			this.waitingForConnection = true;
			return 'offline';
		}
		throw error;
	}

	private async writeMirror(source: ReminderSource): Promise<ReminderRecord[]> {
		const opaqueId = await opaqueIds(await this.store.secret());
		const ids = new Map(
			await Promise.all(
				source.pending.map(async (task) => [task.id, await opaqueId(task.id)] as const)
			)
		);
		const fresh = reminderRecords(source.protocol, source.pending, ids, source.treatments);
		return this.store.updateMirror((current) =>
			nextMirror(current, fresh, source.done, source.now)
		);
	}
}

/**
 * Safari on iPhone or iPad outside an installed (home screen) app, where push does not exist.
 * @param navigatorLike `navigator`
 * @param standalone whether the app runs from the home screen
 */
export function isIosOutsideApp(
	navigatorLike: { userAgent: string; platform?: string; maxTouchPoints?: number },
	standalone: boolean
): boolean {
	const ios =
		/iPad|iPhone|iPod/.test(navigatorLike.userAgent) ||
		// iPadOS presents itself as a Mac, but Macs have no touch screen.
		(navigatorLike.platform === 'MacIntel' && (navigatorLike.maxTouchPoints ?? 0) > 1);
	return ios && !standalone;
}

/** The real browser, for the app. */
export function browserPlatform(): PushPlatform {
	const supported =
		'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
	const standalone =
		window.matchMedia('(display-mode: standalone)').matches ||
		(navigator as { standalone?: boolean }).standalone === true;
	return {
		supported,
		iosNeedsInstall: isIosOutsideApp(navigator, standalone),
		async pushManager() {
			if (!supported) {
				return null;
			}
			const registration = await navigator.serviceWorker.ready;
			return registration.pushManager;
		},
		permission: () => (supported ? Notification.permission : 'default'),
		requestPermission: () => Notification.requestPermission(),
		online: () => navigator.onLine,
		fetch: (input, init) => fetch(input, init)
	};
}
