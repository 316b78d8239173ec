// A clinic's enrolment (a link or a code) turned into what the app already has: the plan form's
// answers, or the next session of a series. No form of its own: the patient answers the
// screening questions and chooses reminder times in the plan form, and a next session goes through
// the Treatment screen's own path (`CarePlan.nextSessionDraft`, `saveTreatment`).
import type { Enrolment } from '$lib/domain/enrolment';
import type { Preferences, Treatment } from '$lib/domain/schedule';
import type { ScreeningAnswers } from '$lib/domain/screening';
import { defaultPreferences, draftFromPreferences } from './drafts';
import type { OnboardingDraft } from './onboarding-draft';

const enrolmentKey = 'aftercare.enrolment';

/**
 * The plan form's answers before the patient has given any.
 * @param zone the phone's zone
 * @param id the new treatment's id
 */
export function freshOnboardingDraft(zone: string, id: string): OnboardingDraft {
	return {
		treatment: {
			id,
			date: '',
			time: '10:00',
			timeZone: zone,
			areas: ['face'],
			type: 'standard',
			needleDepthMm: '',
			seriesNumber: '1',
			seriesTotal: ''
		},
		clinicElsewhere: false,
		preferences: draftFromPreferences(defaultPreferences(zone)),
		screening: {}
	};
}

/**
 * The plan form's answers with what a clinic's enrolment said, or as much of it as could be read.
 * The clinic's zone becomes "my clinic is elsewhere" only when it is not the phone's.
 * @param found the enrolment, or the fields of a link that could be read
 * @param zone the phone's zone
 * @param id the new treatment's id
 * @param kept what the phone had (a plan being replaced): its reminder times and answers
 */
export function onboardingDraftFromEnrolment(
	found: Partial<Enrolment>,
	zone: string,
	id: string,
	kept?: { preferences: Preferences | null; screening: ScreeningAnswers }
): OnboardingDraft {
	const draft = freshOnboardingDraft(zone, id);
	const clinicZone = found.timeZone ?? zone;
	return {
		treatment: {
			...draft.treatment,
			date: found.date ?? '',
			time: found.time ?? draft.treatment.time,
			timeZone: clinicZone,
			areas: found.areas ? [...found.areas] : draft.treatment.areas,
			type: found.type ?? draft.treatment.type,
			needleDepthMm:
				found.needleDepthMm === undefined || found.needleDepthMm === null
					? ''
					: String(found.needleDepthMm),
			seriesNumber: String(found.seriesNumber ?? 1),
			seriesTotal:
				found.seriesTotal === undefined || found.seriesTotal === null
					? ''
					: String(found.seriesTotal)
		},
		clinicElsewhere: clinicZone !== zone,
		preferences: kept?.preferences ? draftFromPreferences(kept.preferences) : draft.preferences,
		screening: kept ? { ...kept.screening } : draft.screening
	};
}

/**
 * The next session of a patient's series as the clinic booked it: the Treatment screen's draft of
 * the next session, with every field the clinic gave.
 * @param draft `CarePlan.nextSessionDraft()`, or null for a phone with no session yet
 * @param enrolment what the clinic gave
 * @param zone the phone's zone
 * @param id an id for the session when there is no draft
 */
export function nextSessionFromEnrolment(
	draft: Treatment | null,
	enrolment: Enrolment,
	zone: string,
	id: string
): Treatment {
	const base: Treatment = draft ?? {
		id,
		date: enrolment.date,
		time: enrolment.time,
		timeZone: zone,
		areas: ['face'],
		type: 'standard',
		needleDepthMm: null,
		seriesNumber: 1,
		seriesTotal: null
	};
	return {
		...base,
		date: enrolment.date,
		time: enrolment.time,
		timeZone: enrolment.timeZone ?? zone,
		areas: enrolment.areas ? [...enrolment.areas] : base.areas,
		type: enrolment.type ?? base.type,
		needleDepthMm: enrolment.needleDepthMm ?? base.needleDepthMm,
		// The link says which session this is; a link for "session 1" added to a series is its next.
		seriesNumber: Math.max(enrolment.seriesNumber, base.seriesNumber),
		seriesTotal: enrolment.seriesTotal ?? base.seriesTotal
	};
}

/**
 * Keeps a clinic's enrolment for this tab (its fragment, re-read with `readEnrolment`), so that
 * the address can lose it at once and a reload still finds it.
 * @param storage sessionStorage
 * @param fragment the link's fragment, or one written with `enrolmentFragment`
 */
export function keepEnrolment(storage: Pick<Storage, 'setItem'>, fragment: string): void {
	try {
		storage.setItem(enrolmentKey, fragment);
	} catch {
		// Blocked: only a reload would lose it.
	}
}

/** The enrolment kept in this tab, or null. */
export function keptEnrolment(storage: Pick<Storage, 'getItem'>): string | null {
	try {
		return storage.getItem(enrolmentKey);
	} catch {
		return null;
	}
}

/** Forgets it, once it is in the plan form or the plan. */
export function forgetEnrolment(storage: Pick<Storage, 'removeItem'>): void {
	try {
		storage.removeItem(enrolmentKey);
	} catch {
		// Nothing was kept.
	}
}
