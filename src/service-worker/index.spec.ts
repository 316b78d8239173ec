// The service worker as the browser runs it: its globals stood in for, the module imported fresh
// for each test, and fake events fired at the listeners it registers (as immich's
// web/src/service-worker/index.spec.ts does). The app's real database (fake-indexeddb) holds the
// phone's words, and the care plan's completions.
import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { iceReminder } from '../../tests/support/reminder-record';
import { DB_NAME, openCareDb, type PushSetting } from '$lib/device/db';
import { reminderPushPayload } from '$lib/domain/push-payload';
import { SNOOZE_MS, type ReminderRecord } from '$lib/domain/reminders';

vi.mock('$service-worker', () => ({
	build: ['/_app/immutable/entry/start.js'],
	files: ['/icons/icon-192.png'],
	version: 'test'
}));

const origin = 'https://care.example-clinic.org';
const now = Date.UTC(2026, 11, 15, 8, 5);

const ice = iceReminder;
const later: ReminderRecord = {
	...ice,
	id: 'TGF0ZXJSZW1pbmRlcklk',
	occurrenceId: 't1:ice-pack:2026-12-15:evening',
	at: Date.UTC(2026, 11, 15, 19)
};
const registered: PushSetting = {
	wanted: true,
	server: { id: 's1', token: 'token-s1', endpoint: 'https://push.example/1' }
};

type Listener = (event: unknown) => void;

/** What the worker did to the world around it. */
interface World {
	listeners: Map<string, Listener>;
	shown: { title: string; options: NotificationOptions & Record<string, unknown> }[];
	opened: string[];
	navigated: string[];
	messages: unknown[];
	windows: object[];
	requests: { url: string; method: string; body: unknown }[];
	/** Whether `fetch` reaches the network. */
	online: boolean;
	caches: Map<string, Map<string, Response>>;
}

let world: World;

/** A window of the app, as `clients.matchAll` gives it. */
function openWindow() {
	const client = {
		focus: async () => client,
		navigate: async (url: string) => void world.navigated.push(url),
		postMessage: (message: unknown) => void world.messages.push(message)
	};
	world.windows.push(client);
}

/** The worker's globals: `self` with its registration and clients, `caches` and `fetch`. */
function stubWorkerGlobals() {
	const subscription = {
		endpoint: 'https://push.example/1',
		toJSON: () => ({ endpoint: 'https://push.example/1', keys: { p256dh: 'p256', auth: 'auth' } })
	};
	vi.stubGlobal('self', {
		location: { origin },
		navigator: { onLine: true },
		addEventListener: (type: string, listener: Listener) =>
			void world.listeners.set(type, listener),
		skipWaiting: async () => {},
		registration: {
			showNotification: async (title: string, options: World['shown'][number]['options']) =>
				void world.shown.push({ title, options }),
			pushManager: { getSubscription: async () => subscription }
		},
		clients: {
			matchAll: async () => world.windows,
			openWindow: async (url: string) => void world.opened.push(url),
			claim: async () => {}
		}
	});
	vi.stubGlobal('caches', {
		open: async (name: string) => {
			const entries = world.caches.get(name) ?? new Map<string, Response>();
			world.caches.set(name, entries);
			return {
				match: async (key: string) => entries.get(key)?.clone(),
				put: async (key: string, response: Response) => void entries.set(key, response)
			};
		},
		keys: async () => [...world.caches.keys()],
		delete: async (name: string) => world.caches.delete(name)
	});
	vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
		if (!world.online) {
			throw new TypeError('Failed to fetch');
		}
		const url = input instanceof Request ? input.url : String(input);
		const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
		world.requests.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : null });
		return new Response('from the network', { status: 200 });
	});
}

/** An extendable event whose `waitUntil` is spied on; `settled` waits for what it was given. */
function extendable<T extends object>(fields: T) {
	const waitUntil = vi.fn<(promise: Promise<unknown>) => void>();
	return {
		event: { ...fields, waitUntil },
		waitUntil,
		settled: () => Promise.all(waitUntil.mock.calls.map(([promise]) => promise))
	};
}

/** Fires `type` at the worker's listener. */
function fire(type: string, event: object): void {
	const listener = world.listeners.get(type);
	if (!listener) {
		throw new Error(`The worker registered no ${type} listener`);
	}
	listener(event);
}

/** A notification the worker showed, as the browser hands it back in `notificationclick`. */
function notification(data: unknown) {
	return { data, close: vi.fn() };
}

/** A fresh worker, as the browser starts it, with its setup module loaded anew. */
async function startWorker() {
	vi.resetModules();
	// Imported from the fresh module registry, so the spy is on the class the worker uses.
	const { CareStore } = await import('$lib/device/care-store');
	const setDone = vi.spyOn(CareStore.prototype, 'setDone');
	await import('./index');
	return { setDone };
}

beforeEach(async () => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(now);
	world = {
		listeners: new Map(),
		shown: [],
		opened: [],
		navigated: [],
		messages: [],
		windows: [],
		requests: [],
		online: true,
		caches: new Map()
	};
	stubWorkerGlobals();
	const db = await openCareDb(DB_NAME, undefined, () => {});
	await db.put('reminders', ice);
	await db.put('reminders', later);
	await db.put('settings', { key: 'push', value: registered });
	db.close();
});

afterEach(async () => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	// The worker keeps its database open; a new version of the app would close it the same way.
	const db = await openCareDb(DB_NAME, undefined, () => {});
	db.close();
	await deleteDB(DB_NAME, { blocked: () => {} });
});

describe('the service worker', () => {
	it('registers its listeners and nothing more on start', async () => {
		await startWorker();
		expect([...world.listeners.keys()].sort()).toEqual([
			'activate',
			'fetch',
			'install',
			'message',
			'notificationclick',
			'push',
			'pushsubscriptionchange'
		]);
		expect(world.shown).toEqual([]);
		expect(world.requests).toEqual([]);
	});
});

describe('push', () => {
	it('shows the phone’s own words for the reminder, and keeps the worker alive until shown', async () => {
		await startWorker();
		const push = extendable({
			data: { json: () => reminderPushPayload(ice.id, origin) }
		});
		fire('push', push.event);
		expect(push.waitUntil).toHaveBeenCalledTimes(1);
		await push.settled();
		expect(world.shown).toEqual([
			{
				title: ice.title,
				options: expect.objectContaining({
					body: ice.body,
					tag: ice.id,
					data: { reminderId: ice.id, occurrenceId: ice.occurrenceId },
					actions: [
						{ action: 'done', title: 'Done' },
						{ action: 'snooze', title: 'Snooze 1 h' }
					]
				})
			}
		]);
	});

	it('shows the generic words for a push it cannot read', async () => {
		await startWorker();
		const push = extendable({ data: null });
		fire('push', push.event);
		await push.settled();
		expect(world.shown.map(({ title }) => title)).toEqual(['Aftercare reminder']);
	});
});

describe('notificationclick', () => {
	const data = { reminderId: ice.id, occurrenceId: ice.occurrenceId };

	it('"Done" ticks the task off with the page’s own write, drops the reminder, tells the pages', async () => {
		const { setDone } = await startWorker();
		openWindow();
		const shown = notification(data);
		const click = extendable({ notification: shown, action: 'done' });
		fire('notificationclick', click.event);
		await click.settled();

		expect(shown.close).toHaveBeenCalled();
		expect(setDone).toHaveBeenCalledExactlyOnceWith(ice.occurrenceId, true, now);
		const db = await openCareDb(DB_NAME, undefined, () => {});
		expect(await db.get('completions', ice.occurrenceId)).toEqual({
			id: ice.occurrenceId,
			doneAt: now
		});
		expect(await db.get('reminders', ice.id)).toBeUndefined();
		db.close();
		expect(world.messages).toEqual([{ type: 'reminders-changed' }]);
		expect(world.opened).toEqual([]);
	});

	it('"Snooze" puts the reminder off an hour and sends the server the new time at once', async () => {
		const { setDone } = await startWorker();
		const click = extendable({ notification: notification(data), action: 'snooze' });
		fire('notificationclick', click.event);
		await click.settled();

		const db = await openCareDb(DB_NAME, undefined, () => {});
		expect((await db.get('reminders', ice.id))?.snoozedUntil).toBe(now + SNOOZE_MS);
		db.close();
		expect(setDone).not.toHaveBeenCalled();
		expect(world.requests).toEqual([
			{
				url: '/api/push/subscriptions/s1',
				method: 'PUT',
				body: {
					subscription: {
						endpoint: 'https://push.example/1',
						keys: { p256dh: 'p256', auth: 'auth' }
					},
					// Soonest first, as the page sends them: the contract's `dueAt`.
					reminders: [
						{ id: ice.id, dueAt: now + SNOOZE_MS },
						{ id: later.id, dueAt: later.at }
					]
				}
			}
		]);
	});

	it('a tap on the notification focuses an open window of the app and takes it to the task', async () => {
		await startWorker();
		openWindow();
		const click = extendable({ notification: notification(data), action: '' });
		fire('notificationclick', click.event);
		await click.settled();
		expect(world.navigated).toEqual([`${origin}/?reminder=${ice.id}`]);
		expect(world.opened).toEqual([]);
	});

	it('a tap with no window open opens one at the task', async () => {
		await startWorker();
		const click = extendable({ notification: notification(data), action: '' });
		fire('notificationclick', click.event);
		await click.settled();
		expect(world.opened).toEqual([`${origin}/?reminder=${ice.id}`]);
	});
});

describe('fetch', () => {
	/** A fetch event whose `respondWith` is spied on. */
	function fetchEvent(path: string, init: RequestInit & { mode?: RequestMode } = {}) {
		const request = new Request(`${origin}${path}`, { method: init.method ?? 'GET' });
		// `Request` refuses `mode: 'navigate'` in its constructor; the browser sets it.
		Object.defineProperty(request, 'mode', { value: init.mode ?? 'cors' });
		const respondWith = vi.fn<(response: Promise<Response>) => void>();
		return { event: { request, respondWith }, respondWith };
	}

	beforeEach(() => {
		world.caches.set(
			'aftercare-test',
			new Map([['/', new Response('the app shell', { headers: { 'content-type': 'text/html' } })]])
		);
	});

	it('answers a navigation offline with the cached app shell', async () => {
		await startWorker();
		world.online = false;
		const navigation = fetchEvent('/diary/2026-12-15', { mode: 'navigate' });
		fire('fetch', navigation.event);
		expect(navigation.respondWith).toHaveBeenCalledTimes(1);
		const response = await navigation.respondWith.mock.calls[0]![0];
		expect(await response.text()).toBe('the app shell');
	});

	it('fetches this build’s code the cache misses from the network', async () => {
		await startWorker();
		const asset = fetchEvent('/_app/immutable/entry/start.js');
		fire('fetch', asset.event);
		const response = await asset.respondWith.mock.calls[0]![0];
		expect(await response.text()).toBe('from the network');
		expect(world.requests.map((request) => request.url)).toEqual([
			`${origin}/_app/immutable/entry/start.js`
		]);
	});

	it('fetches the clinic’s files from the network first, and from the cache offline', async () => {
		await startWorker();
		world.caches
			.get('aftercare-test')!
			.set('/api/clinic/logo?v=abc', new Response('the kept logo'));
		world.caches.get('aftercare-test')!.set('/clinic.css', new Response('the kept colours'));
		const online = fetchEvent('/api/clinic/logo?v=abc');
		fire('fetch', online.event);
		expect(await (await online.respondWith.mock.calls[0]![0]).text()).toBe('from the network');
		expect(world.requests.map((request) => request.url)).toEqual([
			`${origin}/api/clinic/logo?v=abc`
		]);

		world.online = false;
		for (const [path, kept] of [
			['/api/clinic/logo?v=abc', 'the kept logo'],
			['/clinic.css', 'the kept colours']
		] as const) {
			const offline = fetchEvent(path);
			fire('fetch', offline.event);
			expect(await (await offline.respondWith.mock.calls[0]![0]).text()).toBe(kept);
		}
		const missing = fetchEvent('/manifest.webmanifest');
		fire('fetch', missing.event);
		await expect(missing.respondWith.mock.calls[0]![0]).rejects.toThrow('Failed to fetch');
	});

	it('leaves API calls and other methods to the network', async () => {
		await startWorker();
		for (const event of [
			fetchEvent('/api/push/public-key'),
			fetchEvent('/api/push/subscriptions', { method: 'POST' })
		]) {
			fire('fetch', event.event);
			expect(event.respondWith).not.toHaveBeenCalled();
		}
	});
});
