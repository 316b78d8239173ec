import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { installCommand, preflightPlan, requirements } from '../../scripts/preflight.js';

const allThere = Object.fromEntries(requirements.map((r) => [r.id, { ok: true }]));
const developer = { ci: false, root: false, aptGet: true, mayInstall: true };
const ciMachine = { ci: true, root: true, aptGet: true, mayInstall: true };

describe('preflightPlan', () => {
	it('goes ahead when everything is installed', () => {
		expect(preflightPlan(allThere, developer)).toEqual({ kind: 'ready', warnings: [] });
		expect(preflightPlan(allThere, ciMachine)).toEqual({ kind: 'ready', warnings: [] });
	});

	it('stops a developer without root at once, with the exact command for what is missing', () => {
		const probes = {
			...allThere,
			chromium: { ok: false, detail: '/usr/bin/chromium not found' },
			postgresql: { ok: false, detail: 'no initdb' }
		};
		const plan = preflightPlan(probes, developer);
		expect(plan.kind).toBe('stop');
		const message = plan.kind === 'stop' ? plan.message : '';
		expect(message).toContain('/usr/bin/chromium not found');
		expect(message).toContain('no initdb');
		expect(message).toContain('sudo apt-get update && sudo apt-get install -y chromium postgresql');
	});

	it('installs as root with apt-get, including the optional WebKit packages', () => {
		const probes = {
			...allThere,
			openssl: { ok: false },
			webkit: { ok: false }
		};
		expect(preflightPlan(probes, { ...developer, root: true })).toEqual({
			kind: 'install',
			packages: [
				'openssl',
				'webkit2gtk-driver',
				'xvfb',
				'python3-gi',
				'gir1.2-webkit2-4.1',
				'locales'
			],
			warnings: []
		});
	});

	it('stops instead of installing when PREFLIGHT_INSTALL=0 or there is no apt-get', () => {
		const probes = { ...allThere, openssl: { ok: false, detail: 'openssl not on PATH' } };
		const noInstall = preflightPlan(probes, { ...ciMachine, mayInstall: false });
		expect(noInstall).toMatchObject({ kind: 'stop' });
		expect(noInstall.kind === 'stop' && noInstall.message).toContain(
			'apt-get update && apt-get install -y openssl'
		);
		const noApt = preflightPlan(probes, { ...ciMachine, aptGet: false });
		expect(noApt.kind === 'stop' && noApt.message).toContain('install the Debian packages openssl');
	});

	it('stops, without offering to install, when CHROME_PATH points at nothing', () => {
		const probes = {
			...allThere,
			chromium: { ok: false, detail: 'CHROME_PATH=/nope does not exist', installable: false }
		};
		const plan = preflightPlan(probes, ciMachine);
		expect(plan.kind).toBe('stop');
		expect(plan.kind === 'stop' && plan.message).toContain('CHROME_PATH=/nope does not exist');
		expect(plan.kind === 'stop' && plan.message).not.toContain('apt-get');
	});

	it('outside CI, missing WebKit only warns (its runs skip); under CI it stops', () => {
		const probes = { ...allThere, webkit: { ok: false, detail: '/usr/bin/Xvfb not found' } };
		const here = preflightPlan(probes, developer);
		expect(here.kind).toBe('ready');
		expect(here.kind === 'ready' && here.warnings.join()).toContain('sudo apt-get update');
		const ci = preflightPlan(probes, { ...ciMachine, root: false });
		expect(ci.kind).toBe('stop');
	});
});

describe('installCommand', () => {
	it('uses sudo only when not root', () => {
		expect(installCommand(['a', 'b'], { root: true, aptGet: true })).toBe(
			'apt-get update && apt-get install -y a b'
		);
		expect(installCommand(['a'], { root: false, aptGet: true })).toBe(
			'sudo apt-get update && sudo apt-get install -y a'
		);
	});
});

describe('node scripts/preflight.js', () => {
	it('stops at once, exit 1, naming the variable, when CHROME_PATH points at nothing', () => {
		const run = spawnSync(process.execPath, ['scripts/preflight.js'], {
			env: { ...process.env, CHROME_PATH: '/nonexistent/chromium', PREFLIGHT_INSTALL: '0' },
			encoding: 'utf8'
		});
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('CHROME_PATH=/nonexistent/chromium does not exist');
	});
});
