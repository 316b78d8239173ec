// The loopback mock push service and the browser's side of Web Push, for tests and benchmarks.
// One module per concern: tls.js (certificate), browser.js (subscription keys, decryption),
// vapid.js (token checks), behaviour.js (answers and faults), deliveries.js (the record of what
// arrived), server.js (the HTTPS service), remote.js and cli.js (in another process).
export { startMockPushService, controlPrefix } from './server.js';
export { spawnMockPushService, connectMockPushService } from './remote.js';
export { fakeBrowser, decryptPushBody } from './browser.js';
export { verifyVapid } from './vapid.js';
export { selfSignedCertificate } from './tls.js';

/** @typedef {import('./server.js').MockPushService} MockPushService */
/** @typedef {import('./server.js').MockOptions} MockOptions */
/** @typedef {import('./deliveries.js').MockStats} MockStats */
/** @typedef {import('./behaviour.js').Behaviour} Behaviour */
/** @typedef {import('./behaviour.js').Answer} Answer */
/** @typedef {import('./browser.js').FakeBrowser} FakeBrowser */
/** @typedef {import('./vapid.js').VapidClaims} VapidClaims */
