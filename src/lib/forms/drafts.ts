import type { Preferences, Treatment, TreatmentType } from '$lib/domain/schedule';

/** A treatment as the form holds it: text inputs give strings. */
export interface TreatmentDraft {
	id: string;
	date: string;
	time: string;
	timeZone: string;
	areas: string[];
	type: TreatmentType;
	needleDepthMm: string;
	seriesNumber: string;
	seriesTotal: string;
}

/** A form draft of an existing treatment. */
export function draftFromTreatment(treatment: Treatment): TreatmentDraft {
	return {
		...treatment,
		areas: [...treatment.areas],
		needleDepthMm: treatment.needleDepthMm === null ? '' : String(treatment.needleDepthMm),
		seriesNumber: String(treatment.seriesNumber),
		seriesTotal: treatment.seriesTotal === null ? '' : String(treatment.seriesTotal)
	};
}

/** The treatment a draft describes; validate it with `treatmentErrors`. */
export function treatmentFromDraft(draft: TreatmentDraft): Treatment {
	const optionalNumber = (text: string) =>
		text.trim() === '' ? null : Number(text.replace(',', '.'));
	return {
		id: draft.id,
		date: draft.date,
		time: draft.time,
		timeZone: draft.timeZone,
		areas: [...draft.areas],
		type: draft.type,
		needleDepthMm: optionalNumber(draft.needleDepthMm),
		seriesNumber: Number(draft.seriesNumber),
		seriesTotal: optionalNumber(draft.seriesTotal)
	};
}

/** Preferences as the form holds them: quiet hours are switched on or off. */
export interface PreferencesDraft {
	timeZone: string;
	morningTime: string;
	eveningTime: string;
	quietHoursOn: boolean;
	quietStart: string;
	quietEnd: string;
}

/** A form draft of existing preferences. */
export function draftFromPreferences(preferences: Preferences): PreferencesDraft {
	return {
		timeZone: preferences.timeZone,
		morningTime: preferences.morningTime,
		eveningTime: preferences.eveningTime,
		quietHoursOn: preferences.quietHours !== null,
		quietStart: preferences.quietHours?.start ?? '22:00',
		quietEnd: preferences.quietHours?.end ?? '07:00'
	};
}

/** The preferences a draft describes; validate them with `preferencesErrors`. */
export function preferencesFromDraft(draft: PreferencesDraft): Preferences {
	return {
		timeZone: draft.timeZone,
		morningTime: draft.morningTime,
		eveningTime: draft.eveningTime,
		quietHours: draft.quietHoursOn ? { start: draft.quietStart, end: draft.quietEnd } : null
	};
}

/** Sensible starting preferences in the phone's zone. */
export function defaultPreferences(timeZone: string): Preferences {
	return {
		timeZone,
		morningTime: '08:00',
		eveningTime: '20:00',
		quietHours: { start: '22:00', end: '07:00' }
	};
}
