import type { Protocol } from './protocol';
import { inQuietHours, treatmentTypes, type Preferences, type Treatment } from './schedule';
import { isDate, isTime, isTimeZone } from './zoned-time';
import { language } from '$lib/i18n/language.svelte';
import { m } from '$lib/paraglide/messages';

/**
 * Field name → what is wrong with it, in words for the patient. Empty when all is well. The words
 * are in the app's language at the call: call it in a `$derived` (or in markup) and it re-words
 * when the patient switches language.
 */
export type FieldErrors = Partial<Record<string, string>>;

/** A number as the patient's language writes it: 0.5, or 0,5 in German. */
export function decimal(value: number): string {
	return new Intl.NumberFormat(language.tag).format(value);
}

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
		errors.date = m.welcome_error_date();
	}
	if (!isTime(treatment.time)) {
		errors.time = m.welcome_error_time();
	}
	if (!isTimeZone(treatment.timeZone)) {
		errors.timeZone = m.welcome_error_zone();
	}
	const areas = new Set(options.areas.map((area) => area.id));
	if (treatment.areas.length === 0 || !treatment.areas.every((area) => areas.has(area))) {
		errors.areas = m.welcome_error_areas();
	}
	if (!treatmentTypes.includes(treatment.type)) {
		errors.type = m.welcome_error_type();
	}
	const depth = treatment.needleDepthMm;
	const { min, max } = options.needleDepthMm;
	if (depth !== null && !(depth >= min && depth <= max)) {
		errors.needleDepthMm = m.welcome_error_needle_depth({
			min: decimal(min),
			max: decimal(max)
		});
	}
	if (!Number.isInteger(treatment.seriesNumber) || treatment.seriesNumber < 1) {
		errors.seriesNumber = m.welcome_error_session_number();
	}
	const total = treatment.seriesTotal;
	if (total !== null && (!Number.isInteger(total) || total < 1 || total > 20)) {
		errors.seriesTotal = m.welcome_error_sessions_planned();
	} else if (total !== null && treatment.seriesNumber > total) {
		errors.seriesTotal = m.welcome_error_session_outside_series({
			number: treatment.seriesNumber,
			total
		});
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
		errors.timeZone = m.welcome_error_zone();
	}
	for (const field of ['morningTime', 'eveningTime'] as const) {
		if (!isTime(preferences[field])) {
			errors[field] = m.welcome_error_reminder_time();
		}
	}
	const quiet = preferences.quietHours;
	if (quiet) {
		if (!isTime(quiet.start)) {
			errors.quietStart = m.welcome_error_quiet_start();
		}
		if (!isTime(quiet.end)) {
			errors.quietEnd = m.welcome_error_quiet_end();
		}
		for (const field of ['morningTime', 'eveningTime'] as const) {
			if (
				!errors[field] &&
				!errors.quietStart &&
				!errors.quietEnd &&
				inQuietHours(preferences[field], quiet)
			) {
				errors[field] = m.welcome_error_in_quiet_hours({ end: quiet.end });
			}
		}
	}
	if (
		!errors.morningTime &&
		!errors.eveningTime &&
		preferences.morningTime >= preferences.eveningTime
	) {
		errors.eveningTime = m.welcome_error_evening_before_morning();
	}
	return errors;
}
