/**
 * What a backup holds and what deleting the patient's data loses, in words for the patient. Pure:
 * counts, instants and time zones in, sentences out; the Settings screens show them.
 */
import type { BackupCounts } from '$lib/device/backup-format';
import { localParts } from '$lib/domain/zoned-time';

/** What the patient sees of a backup: when it was made and what it holds. */
export interface BackupOverview {
	/** When the backup was made (its manifest's `exportedAt`), epoch milliseconds. */
	exportedAt: number;
	counts: Pick<BackupCounts, 'treatments' | 'entries' | 'photos'>;
}

/** "1 photo", "3 photos", "no photos". */
export function countOf(count: number, one: string, many: string): string {
	if (count === 0) {
		return `no ${many}`;
	}
	return `${count} ${count === 1 ? one : many}`;
}

/** "1 treatment, 3 check-ins, 1 photo" */
export function backupHolds(counts: BackupOverview['counts']): string {
	return [
		countOf(counts.treatments, 'treatment', 'treatments'),
		countOf(counts.entries, 'check-in', 'check-ins'),
		countOf(counts.photos, 'photo', 'photos')
	].join(', ');
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
	return new Intl.DateTimeFormat(undefined, {
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
	const what = `Backup from ${backupDay(backup.exportedAt, now, timeZone)}: ${backupHolds(backup.counts)}`;
	return replacing
		? `${what} — replace what is on this phone?`
		: `${what}. Restore it to this phone?`;
}

/** The notice once a backup is restored: what came back. */
export function restoredMessage(backup: BackupOverview, now: number, timeZone: string): string {
	return `Backup from ${backupDay(backup.exportedAt, now, timeZone)} restored: ${backupHolds(backup.counts)}.`;
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
		`Your ${stored.treatments === 1 ? 'treatment' : `${stored.treatments} treatments`} and the care plan made from ${stored.treatments === 1 ? 'it' : 'them'}, with every tick`,
		`Your diary: ${countOf(stored.entries, 'check-in', 'check-ins')} and ${countOf(stored.photos, 'photo', 'photos')}`,
		'Your answers to the screening questions',
		'Your reminder times; reminders stop'
	];
}
