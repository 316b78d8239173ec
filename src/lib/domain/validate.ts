import type { Protocol } from './protocol';
import { inQuietHours, treatmentTypes, type Preferences, type Treatment } from './schedule';
import { isDate, isTime, isTimeZone } from './zoned-time';

/** Field name → what is wrong with it, in words for the patient. Empty when all is well. */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * Checks a treatment as entered in a form.
 * @param treatment the draft
 * @param options what the protocol offers: areas and the range of needle depths
 */
export function treatmentErrors(
	treatment: Treatment,
	options: Protocol['treatmentOptions']
): FieldErrors {
	const errors: FieldErrors = {};
	if (!isDate(treatment.date)) {
		errors.date = 'Enter the date of your treatment.';
	}
	if (!isTime(treatment.time)) {
		errors.time = 'Enter the time of your appointment, for example 10:00.';
	}
	if (!isTimeZone(treatment.timeZone)) {
		errors.timeZone = 'Choose a time zone from the list.';
	}
	const areas = new Set(options.areas.map((area) => area.id));
	if (treatment.areas.length === 0 || !treatment.areas.every((area) => areas.has(area))) {
		errors.areas = 'Choose at least one area.';
	}
	if (!treatmentTypes.includes(treatment.type)) {
		errors.type = 'Choose the kind of microneedling.';
	}
	const depth = treatment.needleDepthMm;
	const { min, max } = options.needleDepthMm;
	if (depth !== null && !(depth >= min && depth <= max)) {
		errors.needleDepthMm = `Needle depth is between ${min} and ${max} mm. Leave it empty if you don't know.`;
	}
	if (!Number.isInteger(treatment.seriesNumber) || treatment.seriesNumber < 1) {
		errors.seriesNumber = 'Enter which session this is: 1 for the first.';
	}
	const total = treatment.seriesTotal;
	if (total !== null && (!Number.isInteger(total) || total < 1 || total > 20)) {
		errors.seriesTotal = 'Enter how many sessions are planned (1 to 20), or leave it empty.';
	} else if (total !== null && treatment.seriesNumber > total) {
		errors.seriesTotal = `Session ${treatment.seriesNumber} cannot be part of a series of ${total}.`;
	}
	return errors;
}

/**
 * Checks reminder preferences as entered in a form.
 * @param preferences the draft
 */
export function preferencesErrors(preferences: Preferences): FieldErrors {
	const errors: FieldErrors = {};
	if (!isTimeZone(preferences.timeZone)) {
		errors.timeZone = 'Choose a time zone from the list.';
	}
	for (const field of ['morningTime', 'eveningTime'] as const) {
		if (!isTime(preferences[field])) {
			errors[field] = 'Enter a time, for example 08:00.';
		}
	}
	const quiet = preferences.quietHours;
	if (quiet) {
		if (!isTime(quiet.start)) {
			errors.quietStart = 'Enter when quiet hours start.';
		}
		if (!isTime(quiet.end)) {
			errors.quietEnd = 'Enter when quiet hours end.';
		}
		for (const field of ['morningTime', 'eveningTime'] as const) {
			if (
				!errors[field] &&
				!errors.quietStart &&
				!errors.quietEnd &&
				inQuietHours(preferences[field], quiet)
			) {
				errors[field] =
					`This is inside your quiet hours, so the reminder would wait until ${quiet.end}.`;
			}
		}
	}
	if (
		!errors.morningTime &&
		!errors.eveningTime &&
		preferences.morningTime >= preferences.eveningTime
	) {
		errors.eveningTime = 'The evening reminder should come after the morning one.';
	}
	return errors;
}
