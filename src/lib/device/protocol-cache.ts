import type { Protocol } from '$lib/domain/protocol';
import type { CareDb } from './db';

/** Where the protocol came from this time. */
export type ProtocolOrigin = 'network' | 'device';

/**
 * The clinic's protocol: fresh from the server when it answers, else the copy kept on the phone
 * from the last time it did, so the plan still shows offline. Also says whether the server
 * answered at all (a phone can claim to be online while nothing gets through).
 * @param fetch the fetch to use (SvelteKit's, in a load function)
 * @param open opens the device database
 * @throws Error when neither the server nor the phone has it (first start, offline)
 */
export async function loadProtocol(
	fetch: typeof globalThis.fetch,
	open: () => Promise<CareDb>
): Promise<{ protocol: Protocol; origin: ProtocolOrigin; serverAnswered: boolean }> {
	// The copy first: a phone that uses a protocol asks for that one, not the server's default.
	// (Ids are [a-z0-9-], nothing to escape.)
	// (`open` may also throw at once, as a browser that refuses IndexedDB makes it.)
	const kept = await Promise.resolve()
		.then(open)
		.then((db) => db.get('settings', 'protocol'))
		.catch(() => undefined);
	const pinned = kept?.key === 'protocol' && kept.pinned ? kept.value.id : null;
	let protocol: Protocol | null = null;
	let serverAnswered = false;
	try {
		const response = await fetch(`/api/protocol${pinned ? `?id=${pinned}` : ''}`);
		serverAnswered = true;
		if (response.ok) {
			protocol = (await response.json()) as Protocol;
		}
	} catch {
		// Offline or the server is down: fall back to the copy below.
	}
	if (protocol) {
		// The copy is for offline starts. A phone whose storage will not open (private browsing)
		// still gets the protocol, and the app then says why it cannot keep a plan.
		try {
			await (await open()).put('settings', { key: 'protocol', value: protocol, pinned: !!pinned });
		} catch (error) {
			console.error(error);
		}
		return { protocol, origin: 'network', serverAnswered };
	}
	// Also when the server no longer has the pinned protocol: it keeps working on this phone.
	if (kept?.key === 'protocol') {
		return { protocol: kept.value, origin: 'device', serverAnswered };
	}
	// The layout tells the patient, in their language, to connect once.
	throw new Error('No protocol: the server did not answer, and none is kept on this phone.');
}
