/**
 * Why a backup file cannot be restored, in words for the patient. Apart from backup-format.ts,
 * which brings fflate with it: the restore screen shows these words without loading the zip code.
 */
import { m } from '$lib/paraglide/messages';

/** Why a file cannot be restored. */
export type BackupProblem = 'foreign' | 'damaged' | 'newer';

/**
 * Why a file cannot be restored, in the app's language; "Nothing on this phone was changed"
 * included. Call it where the screen renders, so a change of language re-words it.
 * @param problem what `BackupError` found wrong with the file
 */
export function backupProblemText(problem: BackupProblem): string {
	switch (problem) {
		case 'foreign':
			return m.settings_backup_problem_foreign();
		case 'damaged':
			return m.settings_backup_problem_damaged();
		case 'newer':
			return m.settings_backup_problem_newer();
	}
}
