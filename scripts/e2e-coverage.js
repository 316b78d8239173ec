// Control coverage of the e2e suite: has some test pressed every button, link, checkbox, radio
// and <summary> toggle on Today, Timeline, Diary, Treatment, Settings (each of its sections) and
// the clinic page? Run after `playwright test`: it reads what the tests pressed (tests/e2e/fixtures.ts records it) and what
// is there to press (tests/e2e/controls-inventory.spec.ts lists it), both from the run's output
// folder, and prints every control no test pressed. Under CI it fails when one is missing that
// the allow-list below does not explain. See docs/testing.md.
//
//   node scripts/e2e-coverage.js [output folder, default test-results]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The screens whose every control must be pressed; "*" is the app's shell (the navigation…). */
export const SCREENS = [
	'/',
	'/timeline',
	'/diary',
	'/treatment',
	'/settings',
	'/settings/reminders',
	'/settings/answers',
	'/settings/clinic',
	'/settings/data',
	'/settings/app',
	// The clinic's page, for staff (issue 16).
	'/clinic',
	'*'
];

/**
 * @typedef {{ role: string, name: string, route: string, href?: string, state?: string }} Control
 * @typedef {{ route?: string, role: string, name?: RegExp, href?: RegExp }} Match
 */

/**
 * One control repeated for each item of a list: pressing any one of them covers the kind, since
 * each is the same component with other data. Checked in order; the first that matches names it.
 * @type {(Match & { as: string })[]}
 */
export const FAMILIES = [
	// TaskCard: one tick box per task, on Today and in a day opened on the Timeline.
	{ role: 'checkbox', name: /^Done: /, as: 'Done: <a task>' },
	{ role: 'summary', name: /^Where this comes from: /, as: 'Where this comes from: <a task>' },
	// A compact TaskCard (Today): the task's words and source under one disclosure.
	{ role: 'summary', name: /^Details: /, as: 'Details: <a task>' },
	// The screening notice on Today, named after how many answers it holds.
	{
		route: '/',
		role: 'summary',
		name: /^Your (answer|\d+ answers) and what to do$/,
		as: 'Your <answers> and what to do'
	},
	// The Timeline: a <details> per day of the plan, inside one per phase.
	{
		route: '/timeline',
		role: 'summary',
		name: /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} · /,
		as: '<a day of the plan>'
	},
	{ route: '/timeline', role: 'summary', name: /./, as: '<a phase of the plan>' },
	// EntryCard: an Edit link per check-in.
	{
		route: '/diary',
		role: 'link',
		name: /^Edit the check-in of /,
		as: 'Edit the check-in of <a day>'
	},
	{
		route: '/diary',
		role: 'button',
		name: /^Show older check-ins \(\d+ more\)$/,
		as: 'Show older check-ins (<n> more)'
	},
	// One card per session.
	{
		route: '/treatment',
		role: 'button',
		name: /^Edit the \w+ session$/,
		as: 'Edit the <nth> session'
	},
	{
		route: '/treatment',
		role: 'button',
		name: /^Remove the \w+ session$/,
		as: 'Remove the <nth> session'
	},
	// Named after the zone the phone is in.
	{
		route: '/settings/reminders',
		role: 'button',
		name: /^Use /,
		as: 'Use <the phone’s time zone>'
	}
];

/**
 * The allow-list: controls no e2e test presses, each with the reason. Keep it short: a control
 * belongs here only when pressing it cannot be checked in a browser under test.
 * @type {(Match & { why: string })[]}
 */
export const EXCEPTIONS = [
	{
		role: 'link',
		href: /^tel:/,
		why: 'places a phone call, which headless Chromium cannot; server-start.spec.ts checks the number it dials'
	},
	{
		role: 'link',
		href: /^https?:\/\/(?!127\.0\.0\.1[:/])/,
		why: 'the clinic’s own website, outside the app and unreachable from the test machine'
	}
];

/** @param {Match} match @param {Control} control */
function matches(match, control) {
	return (
		(match.route === undefined || match.route === control.route) &&
		match.role === control.role &&
		(match.name === undefined || match.name.test(control.name)) &&
		(match.href === undefined || (control.href !== undefined && match.href.test(control.href)))
	);
}

/** The key a control is counted under: its family's, or its own. @param {Control} control */
export function keyOf(control) {
	const family = FAMILIES.find((one) => matches(one, control));
	return `${control.route} ${control.role} "${family ? family.as : control.name}"`;
}

/**
 * Compares what is there to press with what was pressed.
 * @param {Control[]} present the inventory
 * @param {Control[]} pressed every press of every test
 */
export function compare(present, pressed) {
	const pressedKeys = new Set(pressed.map(keyOf));
	/** @type {Map<string, Control>} */
	const controls = new Map();
	for (const control of present.filter((one) => SCREENS.includes(one.route))) {
		if (!controls.has(keyOf(control))) {
			controls.set(keyOf(control), control);
		}
	}
	const covered = [];
	const excepted = [];
	const missing = [];
	for (const [key, control] of controls) {
		const exception = EXCEPTIONS.find((one) => matches(one, control));
		if (pressedKeys.has(key)) {
			covered.push(key);
		} else if (exception) {
			excepted.push({ key, why: exception.why });
		} else {
			missing.push({ key, state: control.state ?? '' });
		}
	}
	return { covered, excepted, missing };
}

/**
 * Every JSON array in files named `name` under `folder`.
 * @param {string} folder @param {string} name @returns {{ files: number, items: Control[] }}
 */
function collect(folder, name) {
	let files = 0;
	/** @type {Control[]} */
	const items = [];
	for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
		if (entry === name || entry.endsWith(`/${name}`)) {
			files += 1;
			items.push(...JSON.parse(readFileSync(join(folder, entry), 'utf8')));
		}
	}
	return { files, items };
}

function main() {
	const folder = process.argv[2] ?? 'test-results';
	const inventory = existsSync(folder)
		? collect(folder, 'controls-present.json')
		: { files: 0, items: [] };
	if (inventory.files === 0) {
		console.log(
			`Control coverage: no inventory in ${folder}/ (run the whole e2e suite, with controls-inventory.spec.ts).`
		);
		process.exit(process.env.CI ? 1 : 0);
	}
	const presses = collect(folder, 'controls-pressed.json');
	const { covered, excepted, missing } = compare(inventory.items, presses.items);
	const total = covered.length + excepted.length + missing.length;
	console.log(
		`Control coverage of Today, Timeline, Diary, Treatment, Settings, the clinic page and the navigation: ` +
			`${covered.length} of ${total} controls pressed by ${presses.files} tests, ` +
			`${excepted.length} allowed, ${missing.length} never pressed.`
	);
	for (const { key, state } of missing) {
		console.log(`  never pressed: ${key}   (present when: ${state})`);
	}
	for (const { key, why } of excepted) {
		console.log(`  allowed: ${key}: ${why}`);
	}
	if (missing.length > 0) {
		console.log(
			'Press each in a test and check what the patient sees happen (tests/e2e/every-control.spec.ts), ' +
				'or, if it cannot be pressed under test, add it to EXCEPTIONS in scripts/e2e-coverage.js with the reason.'
		);
		process.exit(process.env.CI ? 1 : 0);
	}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	main();
}
