import type { DiaryEntry } from '$lib/domain/diary';

/** A check-in with nothing reported; override what the test is about. */
export function anEntry(overrides: Partial<DiaryEntry> = {}): DiaryEntry {
	return {
		id: `e-${overrides.date ?? '2026-12-15'}`,
		treatmentId: 't1',
		date: '2026-12-15',
		day: 1,
		createdAt: 0,
		updatedAt: 0,
		symptoms: {},
		signs: [],
		care: [],
		note: '',
		...overrides
	};
}
