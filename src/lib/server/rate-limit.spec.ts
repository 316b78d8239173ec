import { describe, expect, it } from 'vitest';
import { RateLimiter, clientKey } from './rate-limit';

/** A limiter on a clock the test moves. */
function limiter(burst: number, perMinute: number, maxClients?: number) {
	let now = 1_000_000;
	const limits = new RateLimiter({ burst, perMinute }, { now: () => now, maxClients });
	return { limits, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
	it('allows a burst, then refuses with the seconds until the next token', () => {
		const { limits } = limiter(3, 6);
		expect([1, 2, 3].map(() => limits.take('a').allowed)).toEqual([true, true, true]);
		// 6 a minute: one token every 10 s.
		expect(limits.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
	});

	it('gives tokens back at the rate, never above the burst', () => {
		const { limits, advance } = limiter(2, 60);
		limits.take('a');
		limits.take('a');
		expect(limits.take('a').allowed).toBe(false);
		advance(1000);
		expect(limits.take('a').allowed).toBe(true);
		expect(limits.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
		advance(3_600_000);
		expect([1, 2, 3].map(() => limits.take('a').allowed)).toEqual([true, true, false]);
	});

	it('refused requests do not push the wait further out', () => {
		const { limits, advance } = limiter(1, 6);
		limits.take('a');
		for (let i = 0; i < 100; i += 1) {
			limits.take('a');
		}
		advance(10_000);
		expect(limits.take('a').allowed).toBe(true);
	});

	it('keeps clients apart', () => {
		const { limits } = limiter(1, 1);
		expect(limits.take('a').allowed).toBe(true);
		expect(limits.take('a').allowed).toBe(false);
		expect(limits.take('b').allowed).toBe(true);
	});

	it('remembers at most maxClients, forgetting the one seen longest ago', () => {
		const { limits } = limiter(1, 1, 2);
		limits.take('a');
		limits.take('b');
		limits.take('a');
		limits.take('c');
		expect(limits.size).toBe(2);
		// 'a' was used after 'b', so 'b' went and starts afresh; 'a' is still limited.
		expect(limits.take('a').allowed).toBe(false);
		expect(limits.take('b').allowed).toBe(true);
	});

	it('forgets a client once its bucket is full again, so no address stays in memory for long', () => {
		const { limits, advance } = limiter(2, 6);
		limits.take('a');
		limits.take('b');
		expect(limits.size).toBe(2);
		// One token back every 10 s: both buckets are full again after 10 s.
		advance(10_000);
		limits.take('c');
		expect(limits.size).toBe(1);
	});

	it('refuses a limit that cannot work', () => {
		expect(() => new RateLimiter({ burst: 0, perMinute: 1 })).toThrow(RangeError);
		expect(() => new RateLimiter({ burst: 1, perMinute: 0 })).toThrow(RangeError);
	});
});

describe('clientKey', () => {
	it.each([
		['203.0.113.7', '203.0.113.7'],
		['::ffff:203.0.113.7', '203.0.113.7'],
		['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
		['2001:db8:1:2::9', '2001:db8:1:2::/64'],
		['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
		['2001:db8::1', '2001:db8:0:0::/64'],
		['::1', '0:0:0:0::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64']
	])('%s → %s', (address, key) => {
		expect(clientKey(address)).toBe(key);
	});
});
