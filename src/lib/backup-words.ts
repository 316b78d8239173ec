/**
 * What a backup holds and what deleting the patient's data loses, in words for the patient, in
 * the app's language (src/lib/i18n): counts, instants and time zones in, sentences out; the
 * Settings screens show them. Call these where the screen renders (markup, `$derived`), so a
 * change of language re-words them.
 */
import type { BackupCounts } from '$lib/device/backup-format';
import { localParts } from '$lib/domain/zoned-time';
import { language } from '$lib/i18n/language.svelte';
import { m } from '$lib/paraglide/messages';

/** What the patient sees of a backup: when it was made and what it holds. */
export interface BackupOverview {
	/** When the backup was made (its manifest's `exportedAt`), epoch milliseconds. */
	exportedAt: number;
	counts: Pick<BackupCounts, 'treatments' | 'entries' | 'photos'>;
}

/** What a backup or the phone holds, counted. */
export type CountedKind = 'treatments' | 'entries' | 'photos';

/** "1 photo", "3 photos", "no photos", in the patient's language. */
export function countOf(count: number, kind: CountedKind): string {
	switch (kind) {
		case 'treatments':
			return count === 0
				? m.settings_count_no_treatments()
				: m.settings_count_treatments({ count });
		case 'entries':
			return count === 0 ? m.settings_count_no_check_ins() : m.settings_count_check_ins({ count });
		case 'photos':
			return count === 0 ? m.settings_count_no_photos() : m.settings_count_photos({ count });
	}
}

/** "1 treatment, 3 check-ins, 1 photo", as the patient's language lists them. */
export function backupHolds(counts: BackupOverview['counts']): string {
	return new Intl.ListFormat(language.tag, { type: 'unit', style: 'short' }).format([
		countOf(counts.treatments, 'treatments'),
		countOf(counts.entries, 'entries'),
		countOf(counts.photos, 'photos')
	]);
}

/**
 * "14 April", or "14 April 2025" when the backup is from another year than `now`: the day the
 * backup was made, as the patient's calendar shows it.
 * @param exportedAt when the backup was made, epoch milliseconds
 * @param now the current instant, epoch milliseconds
 * @param timeZone the patient's time zone
 */
export function backupDay(exportedAt: number, now: number, timeZone: string): string {
	const made = localParts(exportedAt, timeZone).date;
	const thisYear = localParts(now, timeZone).date.slice(0, 4);
	return new Intl.DateTimeFormat(language.tag, {
		day: 'numeric',
		month: 'long',
		...(made.startsWith(thisYear) ? {} : { year: 'numeric' }),
		timeZone: 'UTC'
	}).format(new Date(`${made}T12:00:00Z`));
}

/**
 * The question asked once a picked file has been checked. Where the phone holds a plan, the
 * backup replaces it, and the question says so; a new phone has nothing to replace.
 * @param backup the checked backup
 * @param now the current instant, epoch milliseconds
 * @param timeZone the patient's time zone
 * @param replacing whether the phone holds a plan the backup would replace
 */
export function restoreQuestion(
	backup: BackupOverview,
	now: number,
	timeZone: string,
	replacing: boolean
): string {
	const words = {
		day: backupDay(backup.exportedAt, now, timeZone),
		holds: backupHolds(backup.counts)
	};
	return replacing
		? m.settings_restore_question_replace(words)
		: m.settings_restore_question_new(words);
}

/** The notice once a backup is restored: what came back. */
export function restoredMessage(backup: BackupOverview, now: number, timeZone: string): string {
	return m.settings_restored({
		day: backupDay(backup.exportedAt, now, timeZone),
		holds: backupHolds(backup.counts)
	});
}

/** What is on the phone, as "Delete all my data" counts it. */
export interface StoredCounts {
	treatments: number;
	entries: number;
	photos: number;
}

/**
 * What "Delete all my data" loses, one item a line, the patient's own records counted.
 * @param stored how many treatments, check-ins and photos the phone holds
 */
export function deletionList(stored: StoredCounts): string[] {
	return [
		m.settings_delete_item_treatments({ count: stored.treatments }),
		m.settings_delete_item_diary({
			entries: countOf(stored.entries, 'entries'),
			photos: countOf(stored.photos, 'photos')
		}),
		m.settings_delete_item_answers(),
		m.settings_delete_item_reminders()
	];
}
