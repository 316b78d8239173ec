import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64url, fromBase64url, OPAQUE_ID_LENGTH, opaqueIds } from './opaque-id';

const secret = new Uint8Array(32).map((_, index) => index);
const occurrence = 't1:ice-pack:2026-12-15:morning';

describe('opaque reminder ids', () => {
	it('are HMAC-SHA-256 of the occurrence id, base64url, cut to 22 characters', async () => {
		const id = await (await opaqueIds(secret))(occurrence);
		const expected = createHmac('sha256', secret)
			.update(occurrence)
			.digest('base64url')
			.slice(0, OPAQUE_ID_LENGTH);
		expect(id).toBe(expected);
		expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
	});

	it('are stable on one phone, differ between phones, and name no task or date', async () => {
		const mine = await opaqueIds(secret);
		const theirs = await opaqueIds(new Uint8Array(32).fill(7));
		expect(await mine(occurrence)).toBe(await mine(occurrence));
		expect(await mine(occurrence)).not.toBe(await theirs(occurrence));
		expect(await mine(occurrence)).not.toBe(await mine('t1:ice-pack:2026-12-15:evening'));
		const id = await mine(occurrence);
		for (const part of occurrence.split(':')) {
			expect(id).not.toContain(part);
		}
	});

	it('round-trips base64url, as VAPID keys come', () => {
		const bytes = new Uint8Array([251, 255, 191, 0, 1, 62, 63]);
		expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
		expect([...fromBase64url(base64url(bytes))]).toEqual([...bytes]);
	});
});
