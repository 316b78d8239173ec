// Benchmark: how quickly the diary list (/diary) and the follow-up summary (/summary) open for a
// long diary (default 1,000 check-ins and 200 photos) against a short one (10 check-ins), in
// Debian's Chromium against the production build.
//
//   npm run bench:diary                      # build, then measure 1000/200, 5 runs each
//   node bench/diary.js --entries 100 --photos 20 --runs 3   # against an existing build
//
// Each diary gets its own browser context: onboarding through the real UI (treatment on
// 2025-01-01, so the diary covers many past days), then check-ins and photos written straight
// into IndexedDB. One untimed load of each page warms the HTTP cache; then every run is a fresh
// full navigation, timed in the page from navigation start (performance.now()) to:
//   /diary    the first check-in card is visible and a thumbnail inside a card has loaded;
//   /summary  every symptom chart (svg[data-chart]) and the per-day table's rows are in the page.
// Prints median and p90 (nearest rank) per page, their ratio long/short, how many photo Blobs
// /diary turned into images, and the JS heap in use after a garbage collection.
// Exits non-zero only on errors; there are no timing thresholds.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/chromium.js';
import { onboardThroughUi } from './lib/onboard.js';
import { seededRandom } from '../tests/support/seeded-random.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
// BENCH_PORT lets two checkouts measure side by side.
const PORT = Number(process.env.BENCH_PORT ?? 4310);
const BASE = `http://${HOST}:${PORT}`;
const TREATMENT_DATE = '2025-01-01';
const TIME_ZONE = 'Europe/Berlin';
const SHORT_DIARY = 10;
/** Photo size as the app stores it (long side 1600) and its list thumbnail. */
const IMAGE = { width: 1600, height: 1200 };
const THUMBNAIL = { width: 320, height: 240 };
const PHOTO_CHUNK = 25;
const WAIT_MS = 60_000;

// The eight symptoms of `protocol.diary.symptoms` in src/lib/domain/protocols/microneedling.json.
const SYMPTOMS = [
	'redness',
	'swelling',
	'pain',
	'bruising',
	'bleeding',
	'itching',
	'dryness',
	'breakouts'
];
const NOTES = [
	'Feels tight, like a mild sunburn.',
	'Skin a bit flaky around the nose this morning.',
	'Used the ice pack twice, it helped.',
	'Slight itching in the evening, did not scratch.',
	'Redness mostly gone, some dryness on the cheeks.',
	'Small breakout on the chin.',
	'Skin looks even today.',
	'Forgot the cream in the morning, applied it at night.'
];

function options() {
	const { values } = parseArgs({
		options: {
			entries: { type: 'string', default: '1000' },
			photos: { type: 'string', default: '200' },
			runs: { type: 'string', default: '5' }
		}
	});
	/** @param {string} name @param {string} text @param {number} min */
	const count = (name, text, min) => {
		const value = Number(text);
		if (!Number.isInteger(value) || value < min) {
			throw new Error(`--${name} must be a whole number of at least ${min}, got "${text}"`);
		}
		return value;
	};
	return {
		entries: count('entries', values.entries, 1),
		photos: count('photos', values.photos, 0),
		runs: count('runs', values.runs, 1)
	};
}

/** @param {string} date `YYYY-MM-DD` */
function utcDay(date) {
	const [year, month, day] = date.split('-').map(Number);
	return Date.UTC(year, month - 1, day);
}

/** @param {number} ms */
function isoDate(ms) {
	return new Date(ms).toISOString().slice(0, 10);
}

function berlinToday() {
	// en-CA formats as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
}

/** Level 0-3 of one symptom on a day of recovery: what a patient might report. */
function symptomLevel(id, day, rnd) {
	/** @type {Record<string, number>} */
	const course = {
		redness: day <= 0 ? 3 : day <= 2 ? 2 : day <= 5 ? 1 : 0,
		swelling: day <= 1 ? 2 : day <= 3 ? 1 : 0,
		pain: day <= 0 ? 2 : day <= 2 ? 1 : 0,
		bruising: day <= 3 && rnd() < 0.3 ? 1 : 0,
		bleeding: day <= 0 ? 1 : 0,
		itching: day >= 2 && day <= 7 ? 1 : 0,
		dryness: day >= 3 && day <= 10 ? 1 + (rnd() < 0.4 ? 1 : 0) : 0,
		breakouts: rnd() < 0.05 ? 1 : 0
	};
	let level = course[id] ?? 0;
	if (day > 10 && rnd() < 0.08) {
		// Long after treatment: the odd mild flare, rarely a moderate one (a warning).
		level = rnd() < 0.05 ? 2 : 1;
	} else if (rnd() < 0.2) {
		level += rnd() < 0.5 ? -1 : 1;
	}
	return Math.max(0, Math.min(3, level));
}

/**
 * Check-ins of one treatment, oldest first, spread over the days from the treatment to today
 * (several per day when there are more check-ins than days).
 */
function makeEntries(treatmentId, count, today) {
	const rnd = seededRandom(count * 7919);
	const start = utcDay(TREATMENT_DATE);
	const daysSoFar = Math.round((utcDay(today) - start) / 86_400_000) + 1;
	const span = Math.max(1, Math.min(count, daysSoFar));
	const entries = [];
	let sameDay = 0;
	for (let index = 0; index < count; index++) {
		const day = Math.floor((index * span) / count);
		sameDay = entries.at(-1)?.day === day ? sameDay + 1 : 0;
		const date = isoDate(start + day * 86_400_000);
		// Evenings in Berlin, 20 minutes apart when a day has several check-ins.
		const createdAt = start + day * 86_400_000 + 18 * 3_600_000 + sameDay * 20 * 60_000;
		const signs = [];
		if (day <= 1) {
			signs.push('warmth');
		}
		if (day > 5 && rnd() < 0.01) {
			signs.push(rnd() < 0.5 ? 'spreading-redness' : 'cold-sore');
		}
		const care = [];
		if (day >= 0 && day <= 2) {
			care.push('ice-pack');
		}
		if (rnd() < 0.7) {
			care.push('sun');
		}
		if (day > 3 && rnd() < 0.2) {
			care.push('makeup');
		}
		if (day >= 7 && rnd() < 0.6) {
			care.push('cream');
		}
		entries.push({
			id: randomUUID(),
			treatmentId,
			date,
			day,
			createdAt,
			updatedAt: createdAt,
			symptoms: Object.fromEntries(SYMPTOMS.map((id) => [id, symptomLevel(id, day, rnd)])),
			signs,
			care,
			note: rnd() < 0.25 ? NOTES[Math.floor(rnd() * NOTES.length)] : ''
		});
	}
	return entries;
}

/**
 * Photo descriptions, one check-in each where there are enough check-ins, evenly spread so that
 * the newest check-in (the top of the list) has one. Sizes are filled in by the page.
 */
function makePhotoMetas(entries, count, areas) {
	const newestFirst = [...entries].reverse();
	return Array.from({ length: count }, (_, index) => {
		const entry = newestFirst[Math.floor((index * newestFirst.length) / count)];
		return {
			id: randomUUID(),
			entryId: entry.id,
			treatmentId: entry.treatmentId,
			date: entry.date,
			day: entry.day,
			area: areas[index % areas.length],
			takenAt: entry.createdAt + 1000 + index,
			width: IMAGE.width,
			height: IMAGE.height,
			bytes: 0,
			hasOriginal: false,
			// A few picked for the summary, as a patient would.
			inSummary: index % 50 === 0
		};
	});
}

async function startServer() {
	if (!existsSync(`${root}build/index.js`)) {
		throw new Error('No build found: run `npm run bench:diary` (builds first) or `npm run build`.');
	}
	if (await answers()) {
		throw new Error(`Something already answers on ${BASE}; stop it first.`);
	}
	const server = spawn(process.execPath, ['build'], {
		cwd: root,
		env: { ...process.env, PORT: String(PORT), HOST },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	server.stdout.on('data', (chunk) => (output += chunk));
	server.stderr.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 30_000;
	while (!(await answers())) {
		if (server.exitCode !== null || server.signalCode !== null) {
			throw new Error(`The server stopped at start:\n${output}`);
		}
		if (Date.now() > deadline) {
			await stopServer(server);
			throw new Error(`The server did not answer on ${BASE} within 30 s:\n${output}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return server;
}

async function answers() {
	try {
		const response = await fetch(`${BASE}/`, { signal: AbortSignal.timeout(2000) });
		await response.arrayBuffer();
		return true;
	} catch {
		return false;
	}
}

/** @param {import('node:child_process').ChildProcess} server */
async function stopServer(server) {
	if (server.exitCode !== null || server.signalCode !== null) {
		return;
	}
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
	await exited;
	clearTimeout(timer);
}

/** The one treatment onboarding stored. */
async function storedTreatment(page) {
	const treatments = await page.evaluate(async () => {
		const db = await new Promise((resolve, reject) => {
			const request = indexedDB.open('aftercare-companion');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			return await new Promise((resolve, reject) => {
				const request = db.transaction('treatments').objectStore('treatments').getAll();
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
		} finally {
			db.close();
		}
	});
	if (treatments.length !== 1) {
		throw new Error(`Expected one treatment after onboarding, found ${treatments.length}`);
	}
	return treatments[0];
}

/** Writes check-ins into IndexedDB in one transaction. */
async function seedEntries(page, entries) {
	await page.evaluate(async (entries) => {
		const db = await new Promise((resolve, reject) => {
			const request = indexedDB.open('aftercare-companion');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			const tx = db.transaction('entries', 'readwrite');
			for (const entry of entries) {
				tx.objectStore('entries').put(entry);
			}
			await new Promise((resolve, reject) => {
				tx.oncomplete = () => resolve(undefined);
				tx.onerror = () => reject(tx.error);
				tx.onabort = () => reject(tx.error);
			});
		} finally {
			db.close();
		}
	}, entries);
}

/**
 * Draws a JPEG photo and its thumbnail for each description, in the page with OffscreenCanvas
 * (blotchy skin tones, about 140 KB at 1600x1200 and 11 KB at 320x240), and stores description
 * and pixels together.
 */
async function seedPhotos(page, metas) {
	await page.evaluate(
		async ({ metas, image, thumbnail }) => {
			const drawn = [];
			for (const [index, meta] of metas.entries()) {
				let state = Math.imul((meta.takenAt % 2147483647) + index, 2654435761) >>> 0;
				const rnd = () => {
					state = (state + 0x6d2b79f5) >>> 0;
					let t = state;
					t = Math.imul(t ^ (t >>> 15), t | 1);
					t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
					return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
				};
				const small = new OffscreenCanvas(image.width / 10, image.height / 10);
				const smallContext = small.getContext('2d');
				const pixels = smallContext.createImageData(small.width, small.height);
				for (let i = 0; i < pixels.data.length; i += 4) {
					const shade = rnd() * 60;
					pixels.data[i] = 180 + shade * 0.5;
					pixels.data[i + 1] = 130 + shade * 0.6;
					pixels.data[i + 2] = 110 + shade * 0.5;
					pixels.data[i + 3] = 255;
				}
				smallContext.putImageData(pixels, 0, 0);
				const canvas = new OffscreenCanvas(image.width, image.height);
				const context = canvas.getContext('2d');
				context.imageSmoothingEnabled = true;
				context.drawImage(small, 0, 0, image.width, image.height);
				for (let spot = 0; spot < 400; spot++) {
					const [red, green, blue] = [150 + rnd() * 80, 70 + rnd() * 60, 60 + rnd() * 50];
					context.fillStyle = `rgba(${red | 0}, ${green | 0}, ${blue | 0}, ${0.15 + rnd() * 0.3})`;
					context.beginPath();
					context.arc(rnd() * image.width, rnd() * image.height, 2 + rnd() * 18, 0, Math.PI * 2);
					context.fill();
				}
				const imageBlob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
				const thumbnailCanvas = new OffscreenCanvas(thumbnail.width, thumbnail.height);
				thumbnailCanvas.getContext('2d').drawImage(canvas, 0, 0, thumbnail.width, thumbnail.height);
				const thumbnailBlob = await thumbnailCanvas.convertToBlob({
					type: 'image/jpeg',
					quality: 0.8
				});
				drawn.push({
					meta: { ...meta, bytes: imageBlob.size },
					data: { id: meta.id, image: imageBlob, thumbnail: thumbnailBlob, original: null }
				});
			}
			// A transaction ends at the first await that is not IndexedDB's: draw first, then store.
			const db = await new Promise((resolve, reject) => {
				const request = indexedDB.open('aftercare-companion');
				request.onsuccess = () => resolve(request.result);
				request.onerror = () => reject(request.error);
			});
			try {
				const tx = db.transaction(['photos', 'photoData'], 'readwrite');
				for (const { meta, data } of drawn) {
					tx.objectStore('photos').put(meta);
					tx.objectStore('photoData').put(data);
				}
				await new Promise((resolve, reject) => {
					tx.oncomplete = () => resolve(undefined);
					tx.onerror = () => reject(tx.error);
					tx.onabort = () => reject(tx.error);
				});
			} finally {
				db.close();
			}
		},
		{ metas, image: IMAGE, thumbnail: THUMBNAIL }
	);
}

/** How many records each store holds, to check the seeding. */
async function storeCounts(page) {
	return page.evaluate(async () => {
		const db = await new Promise((resolve, reject) => {
			const request = indexedDB.open('aftercare-companion');
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
		});
		try {
			const tx = db.transaction(['entries', 'photos', 'photoData']);
			const count = (name) =>
				new Promise((resolve, reject) => {
					const request = tx.objectStore(name).count();
					request.onsuccess = () => resolve(request.result);
					request.onerror = () => reject(request.error);
				});
			const [entries, photos, photoData] = await Promise.all(
				['entries', 'photos', 'photoData'].map(count)
			);
			return { entries, photos, photoData };
		} finally {
			db.close();
		}
	});
}

/** In the page: the time since navigation start once the list shows, else false. */
function diaryReady(withPhoto) {
	const card = document.querySelector('[data-entry]');
	if (!card || !card.checkVisibility() || card.getBoundingClientRect().height === 0) {
		return false;
	}
	if (
		withPhoto &&
		![...document.querySelectorAll('[data-entry] img')].some(
			(img) => img.complete && img.naturalWidth > 0
		)
	) {
		return false;
	}
	return performance.now();
}

/** In the page: the time since navigation start once every chart is there, else false. */
function summaryReady(charts) {
	if (charts === 0) {
		return document.getElementById('symptoms-title') ? performance.now() : false;
	}
	// The per-day table renders with the charts; wait for its rows too.
	return document.querySelectorAll('svg[data-chart]').length >= charts &&
		document.querySelector('#days-caption + thead + tbody tr')
		? performance.now()
		: false;
}

/** Loads a page afresh and returns milliseconds from navigation start until `ready` holds. */
async function timedLoad(page, path, ready, arg) {
	await page.goto(`${BASE}${path}`, { waitUntil: 'commit' });
	const result = await page.waitForFunction(ready, arg, { polling: 'raf', timeout: WAIT_MS });
	return /** @type {number} */ (await result.jsonValue());
}

/** JS heap in use after a full garbage collection, in bytes (CDP). */
async function heapUsed(page) {
	const cdp = await page.context().newCDPSession(page);
	try {
		await cdp.send('HeapProfiler.collectGarbage');
		const { usedSize } = await cdp.send('Runtime.getHeapUsage');
		return usedSize;
	} finally {
		await cdp.detach();
	}
}

/** @param {number[]} values */
function stats(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length / 2;
	const median =
		sorted.length % 2 === 1
			? sorted[Math.floor(middle)]
			: (sorted[middle - 1] + sorted[middle]) / 2;
	// Nearest rank: with 5 runs this is the slowest.
	const p90 = sorted[Math.ceil(sorted.length * 0.9) - 1];
	return { median, p90 };
}

/** Seeds one diary in a fresh context and measures both pages. */
/**
 * Opens a fresh context, onboards and seeds one diary.
 * @returns the context, its page, and what the pages will show
 */
async function prepareDiary(browser, entryCount, photoCount) {
	const context = await browser.newContext({
		viewport: { width: 412, height: 915 },
		locale: 'en-GB',
		timezoneId: TIME_ZONE
	});
	const page = await context.newPage();
	const label = `${entryCount} entries + ${photoCount} photos`;
	console.error(`[${label}] onboarding`);
	await onboardThroughUi(page, BASE, TREATMENT_DATE);
	const treatment = await storedTreatment(page);

	const entries = makeEntries(treatment.id, entryCount, berlinToday());
	await seedEntries(page, entries);
	const metas = makePhotoMetas(entries, photoCount, treatment.areas);
	for (let start = 0; start < metas.length; start += PHOTO_CHUNK) {
		const end = Math.min(start + PHOTO_CHUNK, metas.length);
		console.error(`[${label}] drawing and storing photos ${start + 1}-${end}`);
		await seedPhotos(page, metas.slice(start, end));
	}
	const counts = await storeCounts(page);
	if (
		counts.entries !== entryCount ||
		counts.photos !== photoCount ||
		counts.photoData !== photoCount
	) {
		throw new Error(`Seeding went wrong: ${JSON.stringify(counts)}`);
	}
	return {
		context,
		page,
		label,
		entries: entryCount,
		photos: photoCount,
		withPhoto: photoCount > 0,
		charts: SYMPTOMS.filter((id) => entries.some((entry) => entry.symptoms[id] > 0)).length,
		diaryTimes: /** @type {number[]} */ ([]),
		summaryTimes: /** @type {number[]} */ ([])
	};
}

/** One fresh load of each page of one diary, adding the timings to its lists. */
async function measureOnce(diary, record) {
	const diaryTime = await timedLoad(diary.page, '/diary', diaryReady, diary.withPhoto);
	const summaryTime = await timedLoad(diary.page, '/summary', summaryReady, diary.charts);
	if (record) {
		diary.diaryTimes.push(diaryTime);
		diary.summaryTimes.push(summaryTime);
	}
}

/** What the list read and what stays in memory, after one more load of each page. */
async function measureWeight(diary) {
	await timedLoad(diary.page, '/diary', diaryReady, diary.withPhoto);
	// Let any photo that was going to load lazily do so.
	await diary.page.waitForTimeout(1500);
	const photosLoaded = await diary.page.evaluate(
		() => document.querySelectorAll('img[src^="blob:"]').length
	);
	const cards = await diary.page.locator('[data-entry]').count();
	const diaryHeap = await heapUsed(diary.page);
	await timedLoad(diary.page, '/summary', summaryReady, diary.charts);
	const summaryHeap = await heapUsed(diary.page);
	return { photosLoaded, cards, diaryHeap, summaryHeap };
}

function report(short, long, runs, version) {
	const ms = (value) => `${value.toFixed(0).padStart(5)} ms`;
	const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
	const title = (result) => `diary of ${result.label}:`;
	const width = Math.max(title(short).length, title(long).length);
	const line = (result) => {
		const diary = stats(result.diaryTimes);
		const summary = stats(result.summaryTimes);
		return (
			`${title(result).padEnd(width)}  ` +
			`/diary median ${ms(diary.median)} p90 ${ms(diary.p90)} | ` +
			`/summary median ${ms(summary.median)} p90 ${ms(summary.p90)} | ` +
			`JS heap /diary ${mb(result.diaryHeap)} /summary ${mb(result.summaryHeap)}`
		);
	};
	const ratio = (times) => {
		const [a, b] = [stats(long[times]).median, stats(short[times]).median];
		return b > 0 ? (a / b).toFixed(2) : 'n/a';
	};
	console.log('');
	console.log(
		`Chromium ${version}, viewport 412x915, ${runs} runs per page (after one warm-up load), ` +
			'ms from navigation start'
	);
	console.log(line(short));
	console.log(line(long));
	console.log(
		`ratio (${long.entries}/${short.entries}): ` +
			`/diary ${ratio('diaryTimes')}  /summary ${ratio('summaryTimes')}  (medians)`
	);
	console.log(`photos loaded on /diary: ${long.photosLoaded} of ${long.photos}`);
	console.log(
		`  (${long.cards} of ${long.entries} check-in cards in the list; short diary: ` +
			`${short.photosLoaded} of ${short.photos} photos, ${short.cards} cards)`
	);
}

async function main() {
	const sizes = options();
	// The same share of check-ins with a photo, so that both lists wait for a thumbnail.
	const shortPhotos =
		sizes.photos === 0 ? 0 : Math.max(1, Math.round((SHORT_DIARY * sizes.photos) / sizes.entries));
	const server = await startServer();
	const stop = () => {
		server.kill('SIGTERM');
		process.exit(130);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	let browser;
	try {
		browser = await chromium.launch({
			...chromiumLaunchOptions,
			headless: true
		});
		const short = await prepareDiary(browser, SHORT_DIARY, shortPhotos);
		const long = await prepareDiary(browser, sizes.entries, sizes.photos);
		// Warm-up, then the two diaries take turns, so that neither gets a quieter machine.
		await measureOnce(short, false);
		await measureOnce(long, false);
		for (let run = 1; run <= sizes.runs; run++) {
			console.error(`run ${run} of ${sizes.runs}`);
			await measureOnce(short, true);
			await measureOnce(long, true);
		}
		const shortWeight = await measureWeight(short);
		const longWeight = await measureWeight(long);
		report({ ...short, ...shortWeight }, { ...long, ...longWeight }, sizes.runs, browser.version());
	} finally {
		await browser?.close();
		await stopServer(server);
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exitCode = 1;
});
