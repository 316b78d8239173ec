// The plan form's answers while the patient goes through its steps, kept in sessionStorage: a
// phone often reloads a tab it put away (iOS does when the patient checks a message for the
// appointment time), and the answers must survive that. sessionStorage, not IndexedDB: it lives
// only as long as the tab, and nothing is kept once the plan is saved.
import * as v from 'valibot';
import { treatmentTypes } from '$lib/domain/schedule';
import { screeningAnswers } from '$lib/domain/screening';

const key = 'aftercare.onboarding';

const draftSchema = v.object({
	treatment: v.object({
		id: v.string(),
		date: v.string(),
		time: v.string(),
		timeZone: v.string(),
		areas: v.array(v.string()),
		type: v.picklist(treatmentTypes),
		needleDepthMm: v.string(),
		seriesNumber: v.string(),
		seriesTotal: v.string()
	}),
	clinicElsewhere: v.boolean(),
	preferences: v.object({
		timeZone: v.string(),
		morningTime: v.string(),
		eveningTime: v.string(),
		quietHoursOn: v.boolean(),
		quietStart: v.string(),
		quietEnd: v.string()
	}),
	screening: v.record(v.string(), v.picklist(screeningAnswers))
});

/** Every step's answers, as the form holds them. */
export type OnboardingDraft = v.InferOutput<typeof draftSchema>;

/** The answers kept from earlier in this tab, or null when there are none or they do not read. */
export function readOnboardingDraft(storage: Pick<Storage, 'getItem'>): OnboardingDraft | null {
	try {
		const kept = storage.getItem(key);
		if (kept === null) {
			return null;
		}
		const parsed = v.safeParse(draftSchema, JSON.parse(kept));
		return parsed.success ? parsed.output : null;
	} catch {
		// Unreadable storage (some private modes) or text that is not JSON: start afresh.
		return null;
	}
}

/** Keeps the answers for a reload; without storage they last as long as the page. */
export function keepOnboardingDraft(
	storage: Pick<Storage, 'setItem'>,
	draft: OnboardingDraft
): void {
	try {
		storage.setItem(key, JSON.stringify(draft));
	} catch {
		// Blocked or full: the form works on, only a reload would lose the answers.
	}
}

/** Forgets them once the plan is saved. */
export function forgetOnboardingDraft(storage: Pick<Storage, 'removeItem'>): void {
	try {
		storage.removeItem(key);
	} catch {
		// Nothing was kept.
	}
}
