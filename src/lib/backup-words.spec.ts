import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	backupDay,
	backupHolds,
	countOf,
	deletionList,
	restoredMessage,
	restoreQuestion
} from './backup-words';
import { backupProblemText } from '$lib/device/backup-problems';
import { language } from '$lib/i18n/language.svelte';

const berlin = 'Europe/Berlin';
// 14 April 2026, 23:30 in Berlin: still the 14th there, already the 14th in UTC too.
const madeAt = Date.UTC(2026, 3, 14, 21, 30);
const now = Date.UTC(2026, 10, 24, 9, 0);
/** "14 April" as the test machine's language writes it. */
const april14 = '(14 April|April 14)';

describe('what a backup holds', () => {
	it('counts in proper plurals, and says "no" for none', () => {
		expect(countOf(1, 'photos')).toBe('1 photo');
		expect(countOf(3, 'photos')).toBe('3 photos');
		expect(countOf(0, 'photos')).toBe('no photos');
		expect(backupHolds({ treatments: 1, entries: 3, photos: 1 })).toBe(
			'1 treatment, 3 check-ins, 1 photo'
		);
		expect(backupHolds({ treatments: 2, entries: 1, photos: 0 })).toBe(
			'2 treatments, 1 check-in, no photos'
		);
	});

	it('dates the backup by the patient’s calendar, with the year only when it is not this one', () => {
		expect(backupDay(madeAt, now, berlin)).toMatch(new RegExp(`^${april14}$`));
		// 23:30 UTC on the 14th is already the 15th in Berlin.
		expect(backupDay(Date.UTC(2026, 3, 14, 23, 30), now, berlin)).toMatch(/^(15 April|April 15)$/);
		expect(backupDay(madeAt, Date.UTC(2027, 0, 2), berlin)).toMatch(
			/^(14 April 2026|April 14, 2026)$/
		);
	});
});

describe('the restore question', () => {
	const backup = { exportedAt: madeAt, counts: { treatments: 1, entries: 3, photos: 1 } };

	it('names what the backup holds and asks to replace what the phone has', () => {
		expect(restoreQuestion(backup, now, berlin, true)).toMatch(
			new RegExp(
				`^Backup from ${april14}: 1 treatment, 3 check-ins, 1 photo — replace what is on this phone\\?$`
			)
		);
	});

	it('on a new phone, with nothing to replace, only asks to restore', () => {
		const question = restoreQuestion(backup, now, berlin, false);
		expect(question).toMatch(
			new RegExp(`^Backup from ${april14}: 1 treatment, 3 check-ins, 1 photo\\. Restore it`)
		);
		expect(question).not.toContain('replace');
	});

	it('says what came back once restored', () => {
		expect(restoredMessage(backup, now, berlin)).toMatch(
			new RegExp(`^Backup from ${april14} restored: 1 treatment, 3 check-ins, 1 photo\\.$`)
		);
	});
});

describe('what deleting all data loses', () => {
	it('names the patient’s own records, counted', () => {
		expect(deletionList({ treatments: 1, entries: 0, photos: 0 })).toEqual([
			'Your treatment and the care plan made from it, with every tick',
			'Your diary: no check-ins and no photos',
			'Your answers to the screening questions',
			'Your reminder times; reminders stop'
		]);
		expect(deletionList({ treatments: 2, entries: 14, photos: 1 }).slice(0, 2)).toEqual([
			'Your 2 treatments and the care plan made from them, with every tick',
			'Your diary: 14 check-ins and 1 photo'
		]);
	});
});

describe('in German', () => {
	beforeAll(() => language.choose('de'));
	afterAll(() => language.choose(null));
	const backup = { exportedAt: madeAt, counts: { treatments: 1, entries: 3, photos: 1 } };

	it('counts in German plurals, and says "keine" for none', () => {
		expect(countOf(1, 'treatments')).toBe('1 Behandlung');
		expect(countOf(2, 'treatments')).toBe('2 Behandlungen');
		expect(countOf(1, 'entries')).toBe('1 Eintrag');
		expect(countOf(0, 'photos')).toBe('keine Fotos');
		expect(backupHolds({ treatments: 2, entries: 1, photos: 0 })).toMatch(
			/^2 Behandlungen, 1 Eintrag(,| und) keine Fotos$/
		);
	});

	it('dates the backup the German way', () => {
		expect(backupDay(madeAt, now, berlin)).toBe('14. April');
		expect(backupDay(madeAt, Date.UTC(2027, 0, 2), berlin)).toBe('14. April 2026');
	});

	it('asks and tells in whole German sentences', () => {
		expect(restoreQuestion(backup, now, berlin, true)).toMatch(
			/^Sicherung vom 14\. April: 1 Behandlung, 3 Einträge(,| und) 1 Foto\. Die Daten auf diesem Telefon damit ersetzen\?$/
		);
		expect(restoreQuestion(backup, now, berlin, false)).toMatch(
			/Auf diesem Telefon wiederherstellen\?$/
		);
		expect(restoredMessage(backup, now, berlin)).toMatch(
			/^Sicherung vom 14\. April wiederhergestellt: 1 Behandlung, 3 Einträge(,| und) 1 Foto\.$/
		);
	});

	it('lists what deleting all data loses', () => {
		expect(deletionList({ treatments: 1, entries: 0, photos: 0 })).toEqual([
			'Ihre Behandlung und der daraus erstellte Pflegeplan, mit allen Häkchen',
			'Ihr Tagebuch: keine Einträge und keine Fotos',
			'Ihre Antworten auf die Fragen vor der Behandlung',
			'Ihre Erinnerungszeiten; die Erinnerungen enden'
		]);
		expect(deletionList({ treatments: 3, entries: 1, photos: 2 }).slice(0, 2)).toEqual([
			'Ihre 3 Behandlungen und der daraus erstellte Pflegeplan, mit allen Häkchen',
			'Ihr Tagebuch: 1 Eintrag und 2 Fotos'
		]);
	});

	it('says why a file cannot be restored', () => {
		expect(backupProblemText('foreign')).toBe(
			'Diese Datei ist keine Sicherung von Aftercare Companion. Auf diesem Telefon wurde nichts geändert.'
		);
		expect(backupProblemText('newer')).toContain('neueren Version');
	});
});
