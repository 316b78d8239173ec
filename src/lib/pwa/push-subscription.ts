import { opaqueIds } from '$lib/device/opaque-id';
import type { Protocol } from '$lib/domain/protocol';
import { reminderRecords, reworded } from '$lib/domain/reminder-words';
import { nextMirror, type ReminderRecord } from '$lib/domain/reminders';
import type { PlannedTask, Treatment } from '$lib/domain/schedule';
import { isIosOutsideApp } from './ios';
import { deleteSubscription, isNetworkFailure } from './push-api';
import { uploadReminders, type UploadCoverage, type UploadStore } from './reminder-upload';

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
export type ReminderStatus =
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

/**
 * The storage `PushReminders` needs (`ReminderStore`). Not the server's `PushStore`, which holds
 * every phone's subscriptions.
 */
export interface ReminderStorage extends UploadStore {
	secret(): Promise<Uint8Array<ArrayBuffer>>;
	updateMirror(next: (current: ReminderRecord[]) => ReminderRecord[]): Promise<ReminderRecord[]>;
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
	/** What the server was last told: how many reminders it holds and how many wait. */
	coverage: UploadCoverage | null = null;

	/**
	 * @param platform the browser's push, permission and network
	 * @param store where the choice, registration, secret and mirror are kept
	 */
	constructor(
		private readonly platform: PushPlatform,
		private readonly store: ReminderStorage
	) {}

	/** Where reminders stand now. */
	async state(): Promise<ReminderStatus> {
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
		await this.writeMirror(source);
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
		return this.send(source.now, force);
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
		await this.writeMirror(source);
		return this.send(source.now, true);
	}

	/**
	 * Writes the mirror's words anew, in the app's language now: the reminders already set on this
	 * phone speak the language the patient switched to. Nothing is sent and nothing subscribes:
	 * the server knows only ids and instants, and neither changed.
	 * @param source the plan as it stands
	 */
	async reword(source: ReminderSource): Promise<void> {
		await this.writeMirror(source);
	}

	/** Turns reminders off: deletes them on the server and unsubscribes. */
	async turnOff(): Promise<Outcome> {
		const setting = await this.store.push();
		await this.store.putPush({ ...setting, wanted: false });
		this.lastSent = null;
		this.coverage = null;
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

	/** Uploads the mirror (`uploadReminders`), unless it is what the server has already. */
	private async send(now: number, force: boolean): Promise<Outcome> {
		if (!this.platform.online()) {
			this.waitingForConnection = true;
			return 'offline';
		}
		try {
			const pushManager = await this.platform.pushManager();
			if (!pushManager) {
				return 'unsupported';
			}
			const result = await uploadReminders(
				{ pushManager, fetch: this.platform.fetch, online: () => this.platform.online() },
				this.store,
				{ now, lastSent: force ? null : this.lastSent }
			);
			this.waitingForConnection = false;
			if (result.outcome === 'no-push-service') {
				this.noPushService = true;
				this.lastSent = null;
				this.coverage = null;
				return 'no-push-service';
			}
			if (result.outcome !== 'not-wanted') {
				this.lastSent = result.body;
				this.coverage = result.coverage;
			}
			return 'done';
		} catch (error) {
			return this.offlineOr(error);
		}
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
		// The kept ones too (a snooze, one just past): a language switch re-words every one.
		return this.store.updateMirror((current) =>
			reworded(
				source.protocol,
				nextMirror(current, fresh, source.done, source.now),
				source.treatments
			)
		);
	}
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
