import { lookup as dnsLookup } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { Agent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** What kind of network an IP address belongs to; only `public` may receive push requests. */
export type AddressClass =
	| 'public'
	| 'loopback'
	| 'private'
	| 'link-local'
	| 'unique-local'
	| 'shared (CGNAT)'
	| 'unspecified'
	| 'multicast'
	| 'reserved'
	| 'documentation'
	| 'invalid';

/** A subscription endpoint the server will not send to; the message says why. */
export class EndpointRefusedError extends Error {
	override name = 'EndpointRefusedError';
}

/** The endpoint's host name could not be resolved (possibly a passing DNS failure). */
export class EndpointLookupError extends Error {
	override name = 'EndpointLookupError';
}

/** Resolves a host name to every address it has. */
export type ResolveHost = (host: string) => Promise<string[]>;

/** Where push requests may go. */
export interface EndpointPolicy {
	/** Host suffixes the endpoint must match, or `'any'` for any public host. */
	allowlist: readonly string[] | 'any';
	/** Tests only: https endpoints on loopback addresses pass, on any port and off the list. */
	allowLoopback: boolean;
}

/** The system resolver (getaddrinfo, as the HTTPS request itself uses), every address. */
export const systemResolver: ResolveHost = async (host) =>
	(await dnsLookupAsync(host, { all: true, verbatim: true })).map((entry) => entry.address);

type Range = readonly [base: number, bits: number, kind: AddressClass];

// IPv4 special-purpose ranges (RFC 6890 and the IANA registry) that a push service never uses.
const ipv4Ranges: readonly Range[] = [
	[ipv4('0.0.0.0'), 8, 'unspecified'],
	[ipv4('10.0.0.0'), 8, 'private'],
	[ipv4('100.64.0.0'), 10, 'shared (CGNAT)'],
	[ipv4('127.0.0.0'), 8, 'loopback'],
	[ipv4('169.254.0.0'), 16, 'link-local'],
	[ipv4('172.16.0.0'), 12, 'private'],
	[ipv4('192.0.0.0'), 24, 'reserved'],
	[ipv4('192.0.2.0'), 24, 'documentation'],
	[ipv4('192.88.99.0'), 24, 'reserved'],
	[ipv4('192.168.0.0'), 16, 'private'],
	[ipv4('198.18.0.0'), 15, 'reserved'],
	[ipv4('198.51.100.0'), 24, 'documentation'],
	[ipv4('203.0.113.0'), 24, 'documentation'],
	[ipv4('224.0.0.0'), 4, 'multicast'],
	[ipv4('240.0.0.0'), 4, 'reserved']
];

function ipv4(text: string): number {
	const parts = text.split('.').map(Number);
	return parts.reduce((value, part) => value * 256 + part, 0);
}

function classifyIpv4(value: number): AddressClass {
	for (const [base, bits, kind] of ipv4Ranges) {
		const size = 2 ** (32 - bits);
		if (value >= base && value < base + size) {
			return kind;
		}
	}
	return 'public';
}

/** Parses an IPv6 address into its eight 16-bit groups, or `null`. */
function parseIpv6(text: string): number[] | null {
	const address = text.replace(/%.*$/, '');
	let tail: number[] = [];
	let head = address;
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
	if (dotted?.[1]) {
		if (isIP(dotted[1]) !== 4) {
			return null;
		}
		const value = ipv4(dotted[1]);
		tail = [Math.floor(value / 65536), value % 65536];
		head = address.slice(0, -dotted[1].length);
		if (head.endsWith(':') && !head.endsWith('::')) {
			head = head.slice(0, -1);
		}
	}
	const halves = head.split('::');
	if (halves.length > 2) {
		return null;
	}
	const toGroups = (part: string | undefined) =>
		part
			? part.split(':').map((group) => (/^[0-9a-f]{1,4}$/i.test(group) ? parseInt(group, 16) : NaN))
			: [];
	const left = toGroups(halves[0]);
	const right = [...toGroups(halves[1]), ...tail];
	if (halves.length === 1) {
		const groups = [...left, ...tail];
		return groups.length === 8 && groups.every(Number.isFinite) ? groups : null;
	}
	const missing = 8 - left.length - right.length;
	if (missing < 1) {
		return null;
	}
	const groups = [...left, ...new Array<number>(missing).fill(0), ...right];
	return groups.every(Number.isFinite) ? groups : null;
}

function classifyIpv6(groups: number[]): AddressClass {
	const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
	const embedded = g6 * 65536 + g7;
	const prefixZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
	if (prefixZero && g5 === 0) {
		if (g6 === 0 && g7 === 0) {
			return 'unspecified';
		}
		if (g6 === 0 && g7 === 1) {
			return 'loopback';
		}
		// Deprecated IPv4-compatible addresses (::a.b.c.d).
		return classifyIpv4(embedded);
	}
	// IPv4-mapped (::ffff:a.b.c.d).
	if (prefixZero && g5 === 0xffff) {
		return classifyIpv4(embedded);
	}
	// IPv4-translated (::ffff:0:a.b.c.d).
	if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) {
		return classifyIpv4(embedded);
	}
	// NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48) reach the embedded IPv4 address.
	if (g0 === 0x64 && g1 === 0xff9b) {
		return classifyIpv4(embedded);
	}
	// 6to4 (2002::/16) embeds an IPv4 address in groups 1 and 2.
	if (g0 === 0x2002) {
		return classifyIpv4(g1 * 65536 + g2);
	}
	if ((g0 & 0xfe00) === 0xfc00) {
		return 'unique-local';
	}
	if ((g0 & 0xffc0) === 0xfe80) {
		return 'link-local';
	}
	if ((g0 & 0xffc0) === 0xfec0) {
		return 'private'; // deprecated site-local
	}
	if ((g0 & 0xff00) === 0xff00) {
		return 'multicast';
	}
	if (g0 === 0x2001 && g1 === 0x0db8) {
		return 'documentation';
	}
	if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) {
		return 'reserved'; // discard-only
	}
	// Teredo and ORCHID ranges, 2001::/23 protocol assignments.
	if (g0 === 0x2001 && g1 < 0x0200) {
		return 'reserved';
	}
	return 'public';
}

/**
 * Which kind of network an IP address (IPv4, or IPv6 with any embedded IPv4 form) belongs to.
 * @param address a literal address, e.g. `10.0.0.1` or `::ffff:127.0.0.1`
 */
export function classifyAddress(address: string): AddressClass {
	const version = isIP(address.replace(/%.*$/, ''));
	if (version === 4) {
		return classifyIpv4(ipv4(address));
	}
	if (version === 6) {
		const groups = parseIpv6(address);
		return groups ? classifyIpv6(groups) : 'invalid';
	}
	return 'invalid';
}

/**
 * Whether an address may receive push requests under `policy`.
 * @param address a literal IP address
 * @param policy the endpoint policy
 * @returns `null` when allowed, else the reason
 */
export function refusedAddress(address: string, policy: EndpointPolicy): string | null {
	const kind = classifyAddress(address);
	if (kind === 'public' || (kind === 'loopback' && policy.allowLoopback)) {
		return null;
	}
	return `${address} is a ${kind} address`;
}

/**
 * The endpoint's host name (lower case, without brackets or a trailing dot) and port.
 * @throws EndpointRefusedError when the endpoint is not an https: URL
 */
function endpointTarget(endpoint: string): { host: string; port: string } {
	let url: URL;
	try {
		url = new URL(endpoint);
	} catch {
		throw new EndpointRefusedError('is not a URL');
	}
	if (url.protocol !== 'https:') {
		throw new EndpointRefusedError('must be an https: URL');
	}
	if (url.username || url.password) {
		throw new EndpointRefusedError('must not carry a user name or password');
	}
	const host = url.hostname
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1')
		.replace(/\.$/, '');
	// The URL parser leaves the port empty when it is the scheme's own (443).
	return { host, port: url.port || '443' };
}

/** Resolves `host`, or returns it when it is an address already. */
async function addressesOf(host: string, resolve: ResolveHost): Promise<string[]> {
	if (isIP(host)) {
		return [host];
	}
	let addresses: string[];
	try {
		addresses = await resolve(host);
	} catch (error) {
		throw new EndpointLookupError(`host ${host} does not resolve: ${(error as Error).message}`);
	}
	if (addresses.length === 0) {
		throw new EndpointLookupError(`host ${host} has no address`);
	}
	return addresses;
}

/**
 * Checks that a push endpoint is https: on port 443, matches the allow-list, and that its host is
 * not and does not resolve to a loopback, private, link-local or other internal address:
 * otherwise anyone could make the server send requests into its own network (SSRF), or to any
 * service on any port of the internet. In test mode (`allowLoopback`), an endpoint on loopback
 * passes on any port and off the list.
 * @param endpoint the subscription's endpoint URL
 * @param policy allow-list and the loopback test switch
 * @param resolve the resolver (tests inject one)
 * @throws EndpointRefusedError when the endpoint must not be used
 * @throws EndpointLookupError when its host does not resolve now
 */
export async function checkEndpoint(
	endpoint: string,
	policy: EndpointPolicy,
	resolve: ResolveHost = systemResolver
): Promise<void> {
	const { host, port } = endpointTarget(endpoint);
	const refuseAddresses = (addresses: string[]) => {
		for (const address of addresses) {
			const reason = refusedAddress(address, policy);
			if (reason) {
				throw new EndpointRefusedError(`host ${host} is not allowed: ${reason}`);
			}
		}
	};
	// Internal literal addresses are refused first, with the reason that matters.
	let addresses = isIP(host) ? [host] : null;
	if (addresses) {
		refuseAddresses(addresses);
	}
	if (policy.allowLoopback) {
		// Test mode: resolve first, to know whether the endpoint is on loopback.
		addresses ??= await addressesOf(host, resolve);
		if (addresses.every((address) => classifyAddress(address) === 'loopback')) {
			return;
		}
	}
	if (port !== '443') {
		throw new EndpointRefusedError(`must use port 443, not ${port}`);
	}
	const { allowlist } = policy;
	if (
		allowlist !== 'any' &&
		!allowlist.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))
	) {
		throw new EndpointRefusedError(
			`host ${host} is not a known push service (PUSH_ENDPOINT_ALLOWLIST)`
		);
	}
	refuseAddresses(addresses ?? (await addressesOf(host, resolve)));
}

/**
 * An HTTPS agent whose connections refuse internal addresses at connect time, so a DNS answer
 * that changes between the check and the request (DNS rebinding) cannot reach the inside.
 * @param policy the same policy the endpoint checks use
 */
export function createGuardedAgent(policy: EndpointPolicy): Agent {
	const lookup: LookupFunction = (hostname, options, callback) => {
		dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
			if (error) {
				callback(error, '', 0);
				return;
			}
			const list = addresses as unknown as { address: string; family: number }[];
			for (const entry of list) {
				const reason = refusedAddress(entry.address, policy);
				if (reason) {
					callback(new EndpointRefusedError(`host ${hostname}: ${reason}`), '', 0);
					return;
				}
			}
			if (options.all) {
				(callback as unknown as (e: null, a: typeof list) => void)(null, list);
				return;
			}
			const first = list[0];
			if (!first) {
				callback(new EndpointLookupError(`host ${hostname} has no address`), '', 0);
				return;
			}
			callback(null, first.address, first.family);
		});
	};
	return new Agent({ keepAlive: true, lookup });
}

/**
 * Remembers hosts (with their port) that passed `check` for `ttlMs`, so a dispatcher sending
 * thousands of messages to one push service resolves its host once a minute rather than once a
 * message. Safe because the guarded agent vets every address again when it connects, and the
 * port is part of what is remembered; refusals are never remembered.
 * @param check the full check
 * @param ttlMs how long a pass counts
 * @param now the clock
 */
export function rememberPassedHosts(
	check: (endpoint: string) => Promise<void>,
	ttlMs = 60_000,
	now: () => number = Date.now
): (endpoint: string) => Promise<void> {
	const passed = new Map<string, number>();
	return async (endpoint) => {
		const { host: name, port } = endpointTarget(endpoint);
		const host = `${name}|${port}`;
		const until = passed.get(host);
		if (until !== undefined && until > now()) {
			return;
		}
		await check(endpoint);
		if (passed.size >= 10_000) {
			passed.clear();
		}
		passed.set(host, now() + ttlMs);
	};
}
