import { describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../rate-limit';
import { SqliteStore } from '../store/sqlite-store';
import { StoreUnavailableError, type PushStore } from '../store/types';
import {
	ApiError,
	answer,
	authorize,
	budgetedStore,
	limitRate,
	hashToken,
	maxBodyBytes,
	newCredentials,
	readJsonBody,
	subscribe
} from './api';

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
	new Request('http://localhost/api/push/subscriptions', {
		method: 'POST',
		body,
		headers,
		// Node's fetch wants this for streamed bodies.
		...(body instanceof ReadableStream ? { duplex: 'half' } : {})
	} as RequestInit);

async function status(run: () => Promise<unknown>): Promise<number> {
	try {
		await run();
		return 200;
	} catch (error) {
		return error instanceof ApiError ? error.status : 500;
	}
}

describe('readJsonBody', () => {
	it('reads JSON', async () => {
		expect(await readJsonBody(post('{"a":1}'))).toEqual({ a: 1 });
	});

	it('refuses a declared length over 64 KiB before reading', async () => {
		const request = post('{}', { 'content-length': String(maxBodyBytes + 1) });
		expect(await status(() => readJsonBody(request))).toBe(413);
	});

	it('refuses a body over 64 KiB that did not declare its length', async () => {
		const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				sent += 1;
				if (sent > 5) {
					controller.close();
				} else {
					controller.enqueue(chunk);
				}
			}
		});
		expect(await status(() => readJsonBody(post(stream)))).toBe(413);
	});

	it.each([
		['', 'body: not valid JSON'],
		['{"a":', 'body: not valid JSON'],
		[new Uint8Array([0x7b, 0xff, 0x7d]), 'body: must be UTF-8 text']
	])('answers 400 for %j', async (body, message) => {
		const response = await answer(async () => {
			await readJsonBody(post(body as BodyInit));
			return new Response();
		});
		expect(response.status).toBe(400);
		expect((await response.json()).error).toContain(message);
	});

	it('answers 400 without a body', async () => {
		expect(await status(() => readJsonBody(post(null)))).toBe(400);
	});
});

describe('authorize', () => {
	it('accepts the token of the subscription, and answers 401 otherwise, alike for unknown ids', async () => {
		const store = new SqliteStore(':memory:');
		const { id, token } = newCredentials();
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		await store.createSubscription(
			{ id, tokenHash: hashToken(token), endpoint: 'https://x/', p256dh: 'k', auth: 'a' },
			[],
			0
		);
		expect((await authorize(store, id, `Bearer ${token}`)).id).toBe(id);
		const other = newCredentials();
		const refused = [
			() => authorize(store, id, null),
			() => authorize(store, id, token),
			() => authorize(store, id, `Bearer ${other.token}`),
			() => authorize(store, id, `Basic ${token}`),
			() => authorize(store, other.id, `Bearer ${token}`),
			() => authorize(store, 'x'.repeat(500), `Bearer ${token}`),
			() => authorize(store, 'a\u0000b', `Bearer ${token}`),
			() => authorize(store, '\ud800', `Bearer ${token}`)
		];
		const messages = new Set<string>();
		for (const attempt of refused) {
			const error = await attempt().catch((e: unknown) => e);
			expect(error).toBeInstanceOf(ApiError);
			expect((error as ApiError).status).toBe(401);
			messages.add((error as ApiError).message);
		}
		expect(messages.size).toBe(1);
		await store.close();
	});
});

describe('authorize with an id no store can hold', () => {
	it('answers 401 without asking the store', async () => {
		const getSubscription = vi.fn(async () => null);
		const store = { getSubscription } as unknown as PushStore;
		for (const id of ['a\u0000b', 'x\ud800', '\udc00']) {
			await expect(authorize(store, id, 'Bearer abc')).rejects.toMatchObject({ status: 401 });
		}
		expect(getSubscription).not.toHaveBeenCalled();
	});
});

describe('answer', () => {
	it('turns an unexpected error into a bare 500, logged, with nothing of the error in it', async () => {
		const log = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			const response = await answer(async () => {
				throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
					code: '22021'
				});
			});
			expect(response.status).toBe(500);
			const text = await response.text();
			expect(text).not.toMatch(/UTF8|22021|\.ts|at /);
			expect(JSON.parse(text)).toEqual({
				error: 'the reminder service failed on this request; it has been logged'
			});
			expect(log).toHaveBeenCalledOnce();
		} finally {
			log.mockRestore();
		}
	});

	it('answers 503 with Retry-After when the store is unavailable', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			const response = await answer(async () => {
				throw new StoreUnavailableError('down');
			});
			expect(response.status).toBe(503);
			expect(response.headers.get('retry-after')).toBe('5');
		} finally {
			warn.mockRestore();
		}
	});
});

describe('budgetedStore', () => {
	const never = () => new Promise<never>(() => {});

	it('gives up on a store call that outlasts the budget, as unavailable', async () => {
		const store = { name: 'test', ping: never } as unknown as PushStore;
		const started = Date.now();
		await expect(budgetedStore(store, 50).ping()).rejects.toBeInstanceOf(StoreUnavailableError);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('shares one budget among the calls of a request', async () => {
		let calls = 0;
		const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 40, (calls += 1)));
		const store = { name: 'test', ping: slow, getSubscription: never } as unknown as PushStore;
		const budgeted = budgetedStore(store, 60);
		await budgeted.ping();
		// 40 ms spent: the next call gets what is left, not another 60 ms.
		const started = Date.now();
		await expect(budgeted.getSubscription('x')).rejects.toBeInstanceOf(StoreUnavailableError);
		expect(Date.now() - started).toBeLessThan(60);
		expect(calls).toBe(1);
	});

	it('passes answers, errors and properties through', async () => {
		const store = new SqliteStore(':memory:');
		const budgeted = budgetedStore(store);
		expect(budgeted.name).toBe('sqlite');
		expect(await budgeted.getSubscription('none')).toBeNull();
		await store.close();
	});
});

describe('limitRate', () => {
	it('answers 429 with Retry-After once the client spent its burst', () => {
		const limiter = new RateLimiter({ burst: 2, perMinute: 30 });
		const address = () => '203.0.113.7';
		limitRate(limiter, address);
		limitRate(limiter, address);
		let refused: unknown;
		try {
			limitRate(limiter, address);
		} catch (error) {
			refused = error;
		}
		expect(refused).toMatchObject({ status: 429, headers: { 'retry-after': '2' } });
		// No limiter: the limit is off.
		expect(() => limitRate(null, address)).not.toThrow();
	});

	it('counts requests whose address cannot be told (proxy header missing) together', () => {
		const limiter = new RateLimiter({ burst: 1, perMinute: 1 });
		const missing = () => {
			throw new Error('Address header was specified with ADDRESS_HEADER but is absent');
		};
		limitRate(limiter, missing);
		expect(() => limitRate(limiter, missing)).toThrow(ApiError);
	});
});

describe('subscribe', () => {
	const body = (auth: string, at = Date.UTC(2026, 4, 4, 17)) => ({
		subscription: {
			endpoint: 'https://push.example.com/phone',
			keys: { p256dh: 'k', auth }
		},
		reminders: [{ id: 'r1', dueAt: at }]
	});

	it('renews the subscription for a repeated POST from the same browser: same id, new token, the old token refused', async () => {
		const store = new SqliteStore(':memory:');
		const first = await subscribe(store, body('secret'), 0);
		expect(first.status).toBe(201);
		const created = (await first.json()) as { id: string; token: string };

		// The first answer was lost; the phone posts again.
		const again = await subscribe(store, body('secret', Date.UTC(2026, 4, 5)), 1);
		expect(again.status).toBe(200);
		expect(again.headers.get('cache-control')).toBe('no-store');
		const renewed = (await again.json()) as { id: string; token: string };
		expect(renewed.id).toBe(created.id);
		expect(renewed.token).not.toBe(created.token);
		expect((await authorize(store, created.id, `Bearer ${renewed.token}`)).id).toBe(created.id);
		expect(await status(() => authorize(store, created.id, `Bearer ${created.token}`))).toBe(401);
		const reminders = await store.listReminders(created.id);
		expect(reminders.map((reminder) => reminder.dueAt)).toEqual([Date.UTC(2026, 4, 5)]);
		await store.close();
	});

	it('answers 409 for an endpoint registered with another auth secret, and changes nothing', async () => {
		const store = new SqliteStore(':memory:');
		const created = (await (await subscribe(store, body('secret'), 0)).json()) as {
			id: string;
			token: string;
		};
		const response = await answer(() => subscribe(store, body('guessed'), 1));
		expect(response.status).toBe(409);
		expect((await response.json()).error).toContain('subscription.endpoint');
		expect((await authorize(store, created.id, `Bearer ${created.token}`)).auth).toBe('secret');
		await store.close();
	});
});
