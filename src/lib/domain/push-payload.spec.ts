import { describe, expect, it } from 'vitest';
import { parsePushPayload, reminderPushPayload } from './push-payload';

describe('reminder push payload', () => {
	it('names only the reminder id, with a generic title and body', () => {
		const payload = reminderPushPayload('s1:ice:1:morning');
		expect(payload).toEqual({
			v: 1,
			reminderId: 's1:ice:1:morning',
			title: 'Aftercare reminder',
			body: 'You have a care step due. Open the app to see it.'
		});
		expect(
			new TextEncoder().encode(JSON.stringify(reminderPushPayload('x'.repeat(128)))).length
		).toBeLessThan(3000);
	});

	it('reads back what the server sends and refuses anything else', () => {
		const payload = reminderPushPayload('r1');
		expect(parsePushPayload(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
		expect(parsePushPayload({ ...payload, v: 2 })).toBeNull();
		expect(parsePushPayload({ ...payload, reminderId: 5 })).toBeNull();
		expect(parsePushPayload('r1')).toBeNull();
		expect(parsePushPayload(null)).toBeNull();
	});
});
