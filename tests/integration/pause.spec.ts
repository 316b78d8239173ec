// A server paused (SIGSTOP, as a VM pause or a stalled host) while its sends are in flight: the
// answers that arrived meanwhile are recorded, not timed out and sent again, and reminders whose
// lease lapsed while it was paused are not sent twice. Prints the duplicates it counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	decryptPushBody,
	fakeBrowser,
	selfSignedCertificate,
	startMockPushService,
	startServer,
	waitFor,
	type MockPushService,
	type RunningServer
} from './helpers';

const tls = selfSignedCertificate();
let push: MockPushService;
let server: RunningServer;

beforeAll(async () => {
	push = await startMockPushService(tls);
	// A slow push service (1 s per answer), so a full pool of sends is in flight at the pause.
	push.behave = () => ({ status: 201, delayMs: 1000 });
	server = await startServer({
		NODE_EXTRA_CA_CERTS: tls.certPath,
		PUSH_ALLOW_LOOPBACK_ENDPOINTS: '1',
		VAPID_SUBJECT: 'mailto:integration@example-clinic.org',
		DISPATCH_INTERVAL_SECONDS: '1',
		// The shortest lease the default 10 s send deadline allows: claimed reminders not yet
		// started at the pause lose it while paused.
		DISPATCH_LEASE_SECONDS: '30',
		// A send timed out and retried would be pushed again within the test.
		DISPATCH_RETRY_BASE_SECONDS: '1'
	});
});

afterAll(async () => {
	await server?.stop();
	await push?.close();
});

describe('a server paused for 20 s', () => {
	it('sends no reminder twice', async () => {
		const browsers = new Map<string, ReturnType<typeof fakeBrowser>>();
		const at = new Date(Date.now() + 1000).toISOString();
		const count = 200;
		for (let patient = 0; patient < 4; patient += 1) {
			const browser = fakeBrowser();
			const path = `/paused/${patient}`;
			browsers.set(path, browser);
			const response = await fetch(`${server.url}/api/push/subscriptions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					subscription: browser.subscription(`${push.origin}${path}`),
					reminders: Array.from({ length: count / 4 }, (_, i) => ({ id: `r${i}`, at }))
				})
			});
			expect(response.status).toBe(201);
		}
		await waitFor('the first pushes', () => (push.received.length >= 40 ? true : undefined));

		process.kill(server.pid, 'SIGSTOP');
		const inFlight = push.received.filter((request) => request.answeredAt === null).length;
		await new Promise((resolve) => setTimeout(resolve, 20_000));
		process.kill(server.pid, 'SIGCONT');

		const keyOf = (request: (typeof push.received)[number]) =>
			`${request.path}|${JSON.parse(decryptPushBody(request.body, browsers.get(request.path)!)).reminderId}`;
		await waitFor(
			'every reminder',
			() => (new Set(push.received.map(keyOf)).size === count ? true : undefined),
			40_000
		);
		// Two more rounds: anything timed out and retried would come now.
		await new Promise((resolve) => setTimeout(resolve, 5000));
		const duplicates = push.received.length - new Set(push.received.map(keyOf)).size;
		console.info(
			`SIGSTOP 20 s with ${inFlight} sends in flight: ${count} reminders, ${push.received.length} pushes, ${duplicates} duplicates`
		);
		expect(inFlight).toBeGreaterThan(0);
		expect(duplicates).toBe(0);
		expect(server.running()).toBe(true);
	}, 90_000);
});
