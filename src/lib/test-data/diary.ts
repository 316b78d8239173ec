import type { DiaryEntry, PhotoMeta } from '$lib/domain/diary';

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

/** A photo description; override what the test is about. */
export function aPhoto(overrides: Partial<PhotoMeta> = {}): PhotoMeta {
	return {
		id: 'p1',
		entryId: 'e1',
		treatmentId: 't1',
		date: '2026-12-15',
		day: 1,
		area: 'face',
		takenAt: 1,
		width: 10,
		height: 10,
		bytes: 3,
		hasOriginal: false,
		inSummary: false,
		...overrides
	};
}
