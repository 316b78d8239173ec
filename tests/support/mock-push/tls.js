// The mock push service's TLS: a throwaway self-signed certificate for loopback, made with the
// openssl CLI (the sender is told to trust it: NODE_EXTRA_CA_CERTS or an agent's \`ca\`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI.
 * @param {string} [dir] where to write key.pem and cert.pem (default: a new temporary folder)
 * @returns {{ key: string, cert: string, certPath: string, keyPath: string }}
 */
export function selfSignedCertificate(dir = mkdtempSync(join(tmpdir(), 'aftercare-tls-'))) {
	const keyPath = join(dir, 'key.pem');
	const certPath = join(dir, 'cert.pem');
	const result = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			keyPath,
			'-out',
			certPath,
			'-days',
			'2',
			'-subj',
			'/CN=Aftercare test push service',
			'-addext',
			'subjectAltName=IP:127.0.0.1,DNS:localhost'
		],
		{ encoding: 'utf8' }
	);
	if (result.error || result.status !== 0) {
		// Not a skip: the integration tests need it (Debian: apt-get install -y openssl).
		throw new Error(
			`openssl could not make a test certificate: ${result.error?.message ?? result.stderr}`
		);
	}
	return {
		key: readFileSync(keyPath, 'utf8'),
		cert: readFileSync(certPath, 'utf8'),
		certPath,
		keyPath
	};
}
