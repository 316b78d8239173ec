import type { CareDb } from './db';

/**
 * Whether onboarding was completed on this phone: a treatment and reminder preferences.
 * Apart from `CareStore` because the app asks it on every start, a new visitor's first one
 * included, and the rest of the store's code need not load for that.
 * @param open opens the database (once), e.g. `getDb`
 */
export async function hasPatient(open: () => Promise<CareDb>): Promise<boolean> {
	const db = await open();
	const tx = db.transaction(['treatments', 'settings']);
	const [treatments, preferences] = await Promise.all([
		tx.objectStore('treatments').count(),
		tx.objectStore('settings').getKey('preferences'),
		tx.done
	]);
	return treatments > 0 && preferences !== undefined;
}
