// The reminders follow the plan by themselves: each change reaches the push server exactly once,
// with no component mounted.
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CareStore } from '$lib/device/care-store';
import { ReminderStore } from '$lib/device/reminder-store';
import { defaultProtocol } from '$lib/domain/default-protocol';
import type { WireReminder } from '$lib/domain/push-contract';
import { PushReminders, type PushPlatform } from '$lib/pwa/push-subscription';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import { testDatabase } from '$lib/test-data/idb';
import { language } from '$lib/i18n/language.svelte';
import { CarePlan } from './care-plan.svelte';
import { Reminders } from './reminders.svelte';

const debounceMs = 20;
/** Long enough for any sync a change would start to have reached the server. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 10 * debounceMs));

interface Put {
	reminders: WireReminder[];
}

let database = testDatabase();
let puts: Put[];
/** Every request the server got, PUT or not. */
let requests: string[];
let stop: () => void;
let carePlan: CarePlan;
/** The plan open now, as the session holds it: reactive, so a replaced plan is noticed. */
const session = $state<{ carePlan: CarePlan | null }>({ carePlan: null });

/** A browser with reminders on and a server that takes every PUT. */
function platform(): PushPlatform {
	const endpoint = 'https://push.example/1';
	const subscription = {
		endpoint,
		toJSON: () => ({ endpoint, keys: { p256dh: 'p256', auth: 'auth' } }),
		unsubscribe: async () => true
	} as unknown as PushSubscription;
	return {
		supported: true,
		iosNeedsInstall: false,
		pushManager: async () =>
			({ getSubscription: async () => subscription }) as unknown as PushManager,
		permission: () => 'granted',
		requestPermission: async () => 'granted',
		online: () => true,
		fetch: async (input, init) => {
			requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
			if (init?.method === 'PUT') {
				puts.push(JSON.parse(String(init.body)) as Put);
			}
			return new Response(null, { status: 200 });
		}
	};
}

beforeEach(async () => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(Date.UTC(2026, 11, 13, 12));
	puts = [];
	requests = [];
	const reminderStore = new ReminderStore(database.open);
	await reminderStore.putPush({
		wanted: true,
		server: { id: 's1', token: 'token-s1', endpoint: 'https://push.example/1' }
	});
	carePlan = new CarePlan(defaultProtocol(), new CareStore(database.open));
	await carePlan.completeOnboarding(aTreatment(), somePreferences(), {});
	session.carePlan = carePlan;
	const reminders = new Reminders(
		() => session.carePlan,
		new PushReminders(platform(), reminderStore),
		reminderStore,
		debounceMs
	);
	stop = reminders.follow();
	// Opening the app checks the subscription once, at once.
	await vi.waitUntil(() => puts.length === 1);
	await settled();
	expect(puts).toHaveLength(1);
	puts = [];
	requests = [];
});

afterEach(async () => {
	stop();
	vi.useRealTimers();
	await database.dispose();
	database = testDatabase();
});

describe('the reminders, following the plan', () => {
	it('send a tick once', async () => {
		const task = carePlan.pendingReminders().find((one) => one.kind !== 'appointment');
		await carePlan.setDone(task!.id, true);
		flushSync();
		await settled();
		expect(puts).toHaveLength(1);
		expect(puts[0]!.reminders).toHaveLength(carePlan.pendingReminders().length);
	});

	it('send a change of reminder times once', async () => {
		await carePlan.savePreferences(somePreferences({ eveningTime: '21:45' }));
		flushSync();
		await settled();
		expect(puts).toHaveLength(1);
		const evening = Date.UTC(2026, 11, 14, 20, 45); // 21:45 in Berlin
		expect(puts[0]!.reminders.map((reminder) => reminder.dueAt)).toContain(evening);
	});

	it('send nothing when the clock moves on and no reminder came due', async () => {
		carePlan.now = Date.now() + 60_000;
		flushSync();
		await settled();
		expect(puts).toEqual([]);
	});

	it('send a reminder coming due once: the server is topped up as reminders pass', async () => {
		const [first] = carePlan.pendingReminders();
		vi.setSystemTime(first!.at + 1);
		carePlan.now = Date.now();
		flushSync();
		await settled();
		expect(puts).toHaveLength(1);
		expect(puts[0]!.reminders.map((reminder) => reminder.dueAt)).not.toContain(first!.at);
	});

	it('send a cleared plan once: no reminders left', async () => {
		await carePlan.deleteTreatment('t1');
		flushSync();
		await settled();
		expect(puts.map((put) => put.reminders)).toEqual([[]]);
	});

	it('send a plan that replaced another once, at once', async () => {
		const replacing = new CarePlan(defaultProtocol(), new CareStore(database.open));
		await replacing.load();
		session.carePlan = replacing;
		await vi.waitUntil(() => puts.length === 1);
		await settled();
		expect(puts).toHaveLength(1);
	});
});

describe('a language switch', () => {
	afterEach(() => language.choose(null));

	it('re-words the reminders on this phone, and sends nothing: no upload, no new subscription', async () => {
		const store = new ReminderStore(database.open);
		const before = await store.mirror();
		expect(before.length).toBeGreaterThan(0);
		expect(before.every((record) => record.locale === 'en')).toBe(true);

		language.choose('de');
		flushSync();
		await settled();

		const after = await store.mirror();
		expect(after.every((record) => record.locale === 'de')).toBe(true);
		// The same reminders at the same times: only their words changed.
		expect(after.map((record) => [record.id, record.at])).toEqual(
			before.map((record) => [record.id, record.at])
		);
		expect(requests).toEqual([]);
		expect(puts).toEqual([]);

		// And back.
		language.choose('en');
		flushSync();
		await settled();
		expect((await store.mirror()).every((record) => record.locale === 'en')).toBe(true);
		expect(requests).toEqual([]);
	});

	it('re-words an appointment’s reminder in the new language', async () => {
		const store = new ReminderStore(database.open);
		// A session ahead, so that its appointment is still to be reminded of.
		await carePlan.saveTreatment(aTreatment({ id: 't2', date: '2026-12-20', seriesNumber: 2 }));
		flushSync();
		await settled();
		const appointment = (await store.mirror()).find(
			(record) => record.tickable === false && record.treatmentId === 't2'
		);
		expect(appointment?.body).toMatch(/^Your 2nd session is at /);

		language.choose('de');
		flushSync();
		await settled();
		const reworded = await store.reminder(appointment!.id);
		expect(reworded?.body).toMatch(
			/^Ihre 2\. Sitzung ist (heute|morgen|am [^.]+\. Dezember 2026) um /
		);
		expect(reworded?.locale).toBe('de');
	});
});
