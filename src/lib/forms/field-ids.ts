import type { FieldErrors } from '$lib/domain/validate';

/**
 * Pairs each error with the id of the control it is about, for the error summary's links.
 * @param errors from `treatmentErrors` or `preferencesErrors`
 * @param ids field name → element id
 */
export function errorLinks(errors: FieldErrors, ids: Record<string, string>): [string, string][] {
	return Object.entries(errors).flatMap(([field, message]) =>
		message ? [[ids[field] ?? field, message] as [string, string]] : []
	);
}

/** Element ids of the treatment form's controls, for a given id prefix. */
export function treatmentFieldIds(prefix: string): Record<string, string> {
	return {
		date: `${prefix}-date`,
		time: `${prefix}-time`,
		timeZone: `${prefix}-zone`,
		areas: `${prefix}-areas`,
		type: `${prefix}-type`,
		needleDepthMm: `${prefix}-depth`,
		seriesNumber: `${prefix}-number`,
		seriesTotal: `${prefix}-total`
	};
}

/** Element ids of the preferences form's controls. */
export const preferenceFieldIds: Record<string, string> = {
	timeZone: 'pref-zone',
	morningTime: 'pref-morning',
	eveningTime: 'pref-evening',
	quietStart: 'pref-quiet-start',
	quietEnd: 'pref-quiet-end'
};
