// The service worker's answer to a push and to a tap, with the worker's globals stood in for and
// the app's real database (fake-indexeddb) holding the phone's own words.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { iceReminder } from '../../tests/support/reminder-record';
import { DB_NAME, openCareDb } from '$lib/device/db';
import { reminderPushPayload } from '$lib/domain/push-payload';

const origin = 'https://care.example-clinic.org';
const shown: { title: string; options: Record<string, unknown> }[] = [];
const opened: string[] = [];
const windows: { focus(): Promise<{ navigate(url: string): Promise<void> }> }[] = [];
const navigated: string[] = [];

vi.stubGlobal('self', {
	location: { origin },
	registration: {
		showNotification: async (title: string, options: Record<string, unknown>) =>
			void shown.push({ title, options })
	},
	clients: {
		matchAll: async () => windows,
		openWindow: async (url: string) => void opened.push(url)
	}
});
const { handleClick, showReminder } = await import('./push');

const ice = iceReminder;
const link = `${origin}/?reminder=${ice.id}`;

/** A push message's data as the browser hands it to the worker. */
const message = (value: unknown) => ({ json: () => value }) as unknown as PushMessageData;

beforeAll(async () => {
	const db = await openCareDb(DB_NAME, undefined, () => {});
	await db.put('reminders', ice);
	db.close();
});

beforeEach(() => {
	shown.length = 0;
	opened.length = 0;
	windows.length = 0;
	navigated.length = 0;
});

describe('a push', () => {
	it('in the declarative format shows the phone’s own words, under the same tag, with the link', async () => {
		await showReminder(message(reminderPushPayload(ice.id, origin)));
		expect(shown).toEqual([
			{
				title: ice.title,
				options: expect.objectContaining({
					body: ice.body,
					tag: ice.id,
					navigate: link,
					data: { reminderId: ice.id, occurrenceId: ice.occurrenceId },
					actions: [
						{ action: 'done', title: 'Done' },
						{ action: 'snooze', title: 'Snooze 1 h' }
					]
				})
			}
		]);
	});

	it('from a server not yet updated (the older format) shows the same', async () => {
		await showReminder(message(reminderPushPayload(ice.id, null)));
		expect(shown).toHaveLength(1);
		expect(shown[0]?.title).toBe(ice.title);
		expect(shown[0]?.options).toMatchObject({ body: ice.body, tag: ice.id, navigate: link });
	});

	it('for a reminder the phone no longer has shows the generic words, still with the link', async () => {
		await showReminder(message(reminderPushPayload('gone', origin)));
		expect(shown[0]?.title).toBe('Aftercare reminder');
		expect(shown[0]?.options).toMatchObject({
			body: 'You have a care step due. Open the app to see it.',
			tag: 'gone',
			navigate: `${origin}/?reminder=gone`
		});
	});

	it('that cannot be read still shows a notification, without buttons or link', async () => {
		const unreadable = {
			json: () => {
				throw new SyntaxError('not JSON');
			}
		} as unknown as PushMessageData;
		for (const data of [unreadable, message({ web_push: 8030 }), null]) {
			await showReminder(data);
		}
		expect(shown.map(({ title, options }) => [title, options.tag, options.navigate])).toEqual([
			['Aftercare reminder', 'aftercare-reminder', undefined],
			['Aftercare reminder', 'aftercare-reminder', undefined],
			['Aftercare reminder', 'aftercare-reminder', undefined]
		]);
		expect(shown.every(({ options }) => (options.actions as unknown[]).length === 0)).toBe(true);
	});
});

describe('a push, with the reminders written in German on the page', () => {
	const german = {
		...ice,
		id: 'R2VybWFuUmVtaW5kZXI',
		title: 'Haut kühlen',
		body: 'Halten Sie eine in ein sauberes Tuch gewickelte Kältepackung an die behandelte Haut.',
		locale: 'de' as const
	};

	beforeAll(async () => {
		const db = await openCareDb(DB_NAME, undefined, () => {});
		await db.put('reminders', german);
		db.close();
	});

	afterAll(async () => {
		const db = await openCareDb(DB_NAME, undefined, () => {});
		await db.delete('reminders', german.id);
		db.close();
	});

	it('shows the buttons in German, the language stored with the reminder', async () => {
		await showReminder(message(reminderPushPayload(german.id, origin)));
		expect(shown).toEqual([
			{
				title: german.title,
				options: expect.objectContaining({
					body: german.body,
					actions: [
						{ action: 'done', title: 'Erledigt' },
						{ action: 'snooze', title: '1 Std. später' }
					]
				})
			}
		]);
	});

	it('shows the generic words in German for a reminder the phone no longer has', async () => {
		await showReminder(message(reminderPushPayload('gone', origin)));
		expect(shown[0]?.title).toBe('Erinnerung zur Nachsorge');
		expect(shown[0]?.options).toMatchObject({
			body: 'Ein Pflegeschritt ist fällig. Öffnen Sie die App, um ihn zu sehen.',
			actions: [
				{ action: 'done', title: 'Erledigt' },
				{ action: 'snooze', title: '1 Std. später' }
			]
		});
	});
});

describe('a tap on the notification itself', () => {
	const notification = (data: unknown) => ({ data, close: () => {} }) as unknown as Notification;

	it('opens Today at the reminder, the link a declarative push opens', async () => {
		await handleClick(notification({ reminderId: ice.id, occurrenceId: ice.occurrenceId }), '');
		expect(opened).toEqual([link]);
	});

	it('takes an open window of the app there', async () => {
		windows.push({
			focus: async () => ({ navigate: async (url: string) => void navigated.push(url) })
		});
		await handleClick(notification({ reminderId: ice.id, occurrenceId: ice.occurrenceId }), '');
		expect(navigated).toEqual([link]);
		expect(opened).toEqual([]);
	});

	it('opens Today when the notification names no reminder', async () => {
		await handleClick(notification(null), '');
		expect(opened).toEqual([`${origin}/`]);
	});
});
