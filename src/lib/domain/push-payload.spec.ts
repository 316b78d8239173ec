import { describe, expect, it } from 'vitest';
import { maxReminderIdLength } from './push-contract';
import { parsePushPayload, reminderLink, reminderPushPayload } from './push-payload';

const origin = 'https://care.example-clinic.org';
/** What the phone registers: 22 base64url characters (see opaque-id.ts). */
const phoneId = 'Qm9vdHN0cmFwUGF5bG9hZA';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe('reminder push payload', () => {
	it('is a Declarative Web Push message with the generic words and a link to Today', () => {
		expect(reminderPushPayload(phoneId, origin)).toEqual({
			web_push: 8030,
			notification: {
				title: 'Aftercare reminder',
				body: 'You have a care step due. Open the app to see it.',
				navigate: `${origin}/?reminder=${phoneId}`,
				tag: phoneId,
				lang: 'en',
				dir: 'ltr',
				mutable: true
			},
			mutable: true
		});
	});

	it('links only to Today on the app’s own origin, whatever the id holds', () => {
		for (const id of [
			phoneId,
			'//evil.example/x',
			'https://evil.example',
			'../../admin',
			'a?b=c#d&reminder=x',
			'sp ace+plus%20',
			'\ud800lone',
			'€'.repeat(maxReminderIdLength)
		]) {
			const payload = reminderPushPayload(id, 'http://127.0.0.1:5501');
			if (!('web_push' in payload)) {
				throw new Error('not declarative');
			}
			const link = new URL(payload.notification.navigate);
			expect(link.origin).toBe('http://127.0.0.1:5501');
			expect(link.pathname).toBe('/');
			expect(link.hash).toBe('');
			expect([...link.searchParams.keys()]).toEqual(['reminder']);
			// A lone surrogate cannot be written in a URL: it comes back as U+FFFD, and finds nothing.
			expect(link.searchParams.get('reminder')).toBe(id.toWellFormed());
			expect(parsePushPayload(JSON.parse(JSON.stringify(payload)))?.reminderId).toBe(id);
		}
		expect(reminderLink('https://care.example-clinic.org:8443', 'r1')).toBe(
			'https://care.example-clinic.org:8443/?reminder=r1'
		);
	});

	it('stays far under the 3 KB a push may carry', () => {
		const real = bytes(reminderPushPayload(phoneId, origin));
		// The longest id the server accepts, in characters that take most room escaped in the link.
		const longOrigin = `https://${'a'.repeat(60)}.example-clinic.org`;
		const worst = bytes(reminderPushPayload('€'.repeat(maxReminderIdLength), longOrigin));
		console.info(`Push payload: ${real} B for a phone's id, ${worst} B at worst`);
		expect(real).toBeLessThan(600);
		expect(worst).toBeLessThan(2500);
	});

	it('is the older format without an origin, which a new service worker still reads', () => {
		const legacy = reminderPushPayload('r1', null);
		expect(legacy).toEqual({
			v: 1,
			reminderId: 'r1',
			title: 'Aftercare reminder',
			body: 'You have a care step due. Open the app to see it.'
		});
		expect(parsePushPayload(legacy)).toEqual({
			reminderId: 'r1',
			title: 'Aftercare reminder',
			body: 'You have a care step due. Open the app to see it.'
		});
	});
});

describe('parsePushPayload', () => {
	it('reads the reminder id and words of either format, generic words for blank ones', () => {
		expect(
			parsePushPayload({
				web_push: 8030,
				notification: { title: 'T', body: 'B', tag: 'abc', navigate: `${origin}/` }
			})
		).toEqual({ reminderId: 'abc', title: 'T', body: 'B' });
		expect(
			parsePushPayload({ web_push: 8030, notification: { title: ' ', body: 5, tag: 'abc' } })
		).toEqual({
			reminderId: 'abc',
			title: 'Aftercare reminder',
			body: 'You have a care step due. Open the app to see it.'
		});
		expect(parsePushPayload({ v: 1, reminderId: 'abc', title: 'T', body: 'B' })).toEqual({
			reminderId: 'abc',
			title: 'T',
			body: 'B'
		});
		expect(parsePushPayload({ v: 1, reminderId: 'abc' })?.title).toBe('Aftercare reminder');
	});

	it('refuses anything that names no reminder', () => {
		for (const value of [
			null,
			'x',
			{},
			[],
			{ v: 2, reminderId: 'a' },
			{ v: 1, reminderId: '' },
			{ v: 1, reminderId: 5 },
			{ web_push: 8031, notification: { title: 'T', tag: 'a' } },
			{ web_push: '8030', notification: { title: 'T', tag: 'a' } },
			{ web_push: 8030, notification: { title: 'T' } },
			{ web_push: 8030, notification: { title: 'T', tag: '' } },
			{ web_push: 8030, notification: 'T' },
			{ web_push: 8030 }
		]) {
			expect(parsePushPayload(value), JSON.stringify(value)).toBeNull();
		}
	});
});
