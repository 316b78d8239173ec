import { describe, expect, it } from 'vitest';
import type { LookupFunction } from 'node:net';
import { defaultEndpointAllowlist } from '../config';
import {
	checkEndpoint,
	classifyAddress,
	createGuardedAgent,
	EndpointLookupError,
	EndpointRefusedError,
	rememberPassedHosts,
	type EndpointPolicy,
	type ResolveHost
} from './endpoint-safety';

const open: EndpointPolicy = { allowlist: 'any', allowLoopback: false };
const resolvesTo =
	(...addresses: string[]): ResolveHost =>
	async () =>
		addresses;

describe('classifyAddress', () => {
	it.each([
		['8.8.8.8', 'public'],
		['142.250.185.74', 'public'],
		['2607:f8b0:4004:c1b::5f', 'public'],
		['127.0.0.1', 'loopback'],
		['127.255.255.254', 'loopback'],
		['::1', 'loopback'],
		['0:0:0:0:0:0:0:1', 'loopback'],
		['10.1.2.3', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.1.1', 'private'],
		['169.254.169.254', 'link-local'],
		['fe80::1', 'link-local'],
		['fe80::1%eth0', 'link-local'],
		['febf::1', 'link-local'],
		['fc00::1', 'unique-local'],
		['fd12:3456::1', 'unique-local'],
		['100.64.0.1', 'shared (CGNAT)'],
		['100.127.255.255', 'shared (CGNAT)'],
		['0.0.0.0', 'unspecified'],
		['0.1.2.3', 'unspecified'],
		['::', 'unspecified'],
		['224.0.0.1', 'multicast'],
		['239.255.255.250', 'multicast'],
		['ff02::1', 'multicast'],
		['255.255.255.255', 'reserved'],
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:7f00:1', 'loopback'],
		['::ffff:10.0.0.1', 'private'],
		['::ffff:169.254.169.254', 'link-local'],
		['::ffff:0:192.168.0.1', 'private'],
		['::127.0.0.1', 'loopback'],
		['64:ff9b::10.0.0.1', 'private'],
		['2002:7f00:1::', 'loopback'],
		['2001:db8::1', 'documentation'],
		['::ffff:8.8.8.8', 'public'],
		['not-an-ip', 'invalid']
	])('%s is %s', (address, kind) => {
		expect(classifyAddress(address)).toBe(kind);
	});

	it('leaves the neighbours of each private range public', () => {
		expect(classifyAddress('172.15.255.255')).toBe('public');
		expect(classifyAddress('172.32.0.0')).toBe('public');
		expect(classifyAddress('100.63.255.255')).toBe('public');
		expect(classifyAddress('100.128.0.0')).toBe('public');
		expect(classifyAddress('11.0.0.0')).toBe('public');
		expect(classifyAddress('fec0::1')).not.toBe('public');
		expect(classifyAddress('fbff::1')).toBe('public');
	});
});

describe('checkEndpoint', () => {
	it('accepts an https endpoint whose host resolves to public addresses only', async () => {
		await expect(
			checkEndpoint(
				'https://fcm.googleapis.com/fcm/send/abc',
				open,
				resolvesTo('142.250.185.74', '2a00:1450:4001:82b::200a')
			)
		).resolves.toBeUndefined();
	});

	it.each([
		['http://fcm.googleapis.com/x', 'https:'],
		['ftp://example.com/x', 'https:'],
		['not a url', 'not a URL'],
		['https://user:pw@fcm.googleapis.com/x', 'user name']
	])('refuses %s', async (endpoint, message) => {
		await expect(checkEndpoint(endpoint, open, resolvesTo('8.8.8.8'))).rejects.toThrow(message);
	});

	it.each([
		'https://127.0.0.1/x',
		'https://[::1]/x',
		'https://10.0.0.5/x',
		'https://169.254.169.254/latest/meta-data',
		'https://[::ffff:127.0.0.1]/x',
		'https://[fd00::1]:8443/x',
		'https://0.0.0.0/x'
	])('refuses the literal address in %s', async (endpoint) => {
		await expect(checkEndpoint(endpoint, open, resolvesTo())).rejects.toBeInstanceOf(
			EndpointRefusedError
		);
	});

	it('refuses a host when any of its addresses is internal', async () => {
		await expect(
			checkEndpoint('https://push.example.com/x', open, resolvesTo('8.8.8.8', '192.168.0.10'))
		).rejects.toThrow('192.168.0.10 is a private address');
		await expect(
			checkEndpoint('https://localhost/x', open, resolvesTo('127.0.0.1', '::1'))
		).rejects.toThrow('loopback');
	});

	it('passes https loopback endpoints only with the test switch, and never private ones', async () => {
		const tests: EndpointPolicy = { allowlist: 'any', allowLoopback: true };
		await expect(checkEndpoint('https://127.0.0.1:9443/x', tests)).resolves.toBeUndefined();
		await expect(
			checkEndpoint('https://localhost/x', tests, resolvesTo('127.0.0.1', '::1'))
		).resolves.toBeUndefined();
		await expect(checkEndpoint('http://127.0.0.1:9443/x', tests)).rejects.toThrow('https:');
		await expect(checkEndpoint('https://10.0.0.1/x', tests)).rejects.toThrow('private');
	});

	it('applies the allow-list by host suffix', async () => {
		const listed: EndpointPolicy = {
			allowlist: ['fcm.googleapis.com', 'web.push.apple.com'],
			allowLoopback: false
		};
		const resolve = resolvesTo('17.0.0.1');
		await expect(
			checkEndpoint('https://web.push.apple.com/abc', listed, resolve)
		).resolves.toBeUndefined();
		await expect(
			checkEndpoint('https://eu.web.push.apple.com/abc', listed, resolve)
		).resolves.toBeUndefined();
		await expect(
			checkEndpoint('https://evilweb.push.apple.com.example.org/abc', listed, resolve)
		).rejects.toThrow('PUSH_ENDPOINT_ALLOWLIST');
		await expect(checkEndpoint('https://notapple.com/abc', listed, resolve)).rejects.toThrow(
			'PUSH_ENDPOINT_ALLOWLIST'
		);
	});

	it('accepts only port 443, with any allow-list', async () => {
		const resolve = resolvesTo('142.250.185.74');
		for (const endpoint of [
			'https://8.8.8.8:22/x',
			'https://fcm.googleapis.com:8443/fcm/send/abc',
			'https://fcm.googleapis.com:80/fcm/send/abc'
		]) {
			await expect(checkEndpoint(endpoint, open, resolve)).rejects.toThrow(
				/must use port 443, not \d+/
			);
		}
		await expect(
			checkEndpoint('https://fcm.googleapis.com:443/fcm/send/abc', open, resolve)
		).resolves.toBeUndefined();
	});

	it("by default takes the browsers' push services only", async () => {
		const known: EndpointPolicy = { allowlist: defaultEndpointAllowlist, allowLoopback: false };
		const resolve = resolvesTo('142.250.185.74');
		for (const endpoint of [
			'https://fcm.googleapis.com/fcm/send/abc',
			'https://updates.push.services.mozilla.com/wpush/v2/abc',
			'https://web.push.apple.com/QGz',
			'https://wns2-par02p.notify.windows.com/w/?token=abc'
		]) {
			await expect(checkEndpoint(endpoint, known, resolve)).resolves.toBeUndefined();
		}
		await expect(checkEndpoint('https://8.8.8.8/x', known, resolve)).rejects.toThrow(
			'host 8.8.8.8 is not a known push service (PUSH_ENDPOINT_ALLOWLIST)'
		);
		await expect(checkEndpoint('https://push.example.com/x', known, resolve)).rejects.toThrow(
			'PUSH_ENDPOINT_ALLOWLIST'
		);
	});

	it('in test mode passes loopback on any port and off the list, and nothing else', async () => {
		const tests: EndpointPolicy = { allowlist: defaultEndpointAllowlist, allowLoopback: true };
		await expect(checkEndpoint('https://127.0.0.1:9443/x', tests)).resolves.toBeUndefined();
		await expect(
			checkEndpoint('https://localhost:9443/x', tests, resolvesTo('127.0.0.1', '::1'))
		).resolves.toBeUndefined();
		await expect(
			checkEndpoint('https://8.8.8.8:9443/x', tests, resolvesTo('8.8.8.8'))
		).rejects.toThrow('port 443');
		await expect(
			checkEndpoint('https://push.example.com/x', tests, resolvesTo('8.8.8.8'))
		).rejects.toThrow('PUSH_ENDPOINT_ALLOWLIST');
		await expect(checkEndpoint('https://10.0.0.1:9443/x', tests)).rejects.toThrow('private');
	});

	it('reports a host that does not resolve as a lookup error, not a refusal', async () => {
		const failing: ResolveHost = async () => {
			throw new Error('getaddrinfo ENOTFOUND');
		};
		await expect(checkEndpoint('https://nowhere.invalid/x', open, failing)).rejects.toBeInstanceOf(
			EndpointLookupError
		);
		await expect(
			checkEndpoint('https://nowhere.invalid/x', open, resolvesTo())
		).rejects.toBeInstanceOf(EndpointLookupError);
	});
});

describe('createGuardedAgent', () => {
	/** Runs the agent's own lookup, as a connection would. */
	function lookup(policy: EndpointPolicy, host: string, all: boolean) {
		const agent = createGuardedAgent(policy);
		const fn = (agent.options as { lookup: LookupFunction }).lookup;
		return new Promise<{ error: Error | null; address: unknown }>((resolve) => {
			fn(host, { all }, (error, address) => resolve({ error, address }));
		}).finally(() => agent.destroy());
	}

	it('refuses to connect to a host that resolves to loopback', async () => {
		const { error } = await lookup(open, 'localhost', false);
		expect(error).toBeInstanceOf(EndpointRefusedError);
		expect(error?.message).toContain('loopback');
	});

	it('connects to loopback only with the test switch, in both lookup forms', async () => {
		const tests: EndpointPolicy = { allowlist: 'any', allowLoopback: true };
		const single = await lookup(tests, 'localhost', false);
		expect(single.error).toBeNull();
		expect(['127.0.0.1', '::1']).toContain(single.address);
		const every = await lookup(tests, 'localhost', true);
		expect(every.error).toBeNull();
		expect(Array.isArray(every.address)).toBe(true);
	});
});

describe('rememberPassedHosts', () => {
	it('checks a host once per period, and never remembers a refusal', async () => {
		const checked: string[] = [];
		let now = 0;
		const check = rememberPassedHosts(
			async (endpoint) => {
				checked.push(endpoint);
				if (endpoint.includes('evil')) {
					throw new EndpointRefusedError('private address');
				}
			},
			60_000,
			() => now
		);
		await check('https://fcm.googleapis.com/fcm/send/a');
		await check('https://fcm.googleapis.com/fcm/send/b');
		await expect(check('https://evil.example/x')).rejects.toThrow(EndpointRefusedError);
		await expect(check('https://evil.example/y')).rejects.toThrow(EndpointRefusedError);
		now = 60_001;
		await check('https://fcm.googleapis.com/fcm/send/c');
		// Another port is another target: checked (and refused) on its own.
		await check('https://fcm.googleapis.com:22/fcm/send/d');
		expect(checked).toEqual([
			'https://fcm.googleapis.com/fcm/send/a',
			'https://evil.example/x',
			'https://evil.example/y',
			'https://fcm.googleapis.com/fcm/send/c',
			'https://fcm.googleapis.com:22/fcm/send/d'
		]);
	});
});
