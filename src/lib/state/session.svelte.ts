import { getDb } from '$lib/device/db';
import { hasPatient } from '$lib/device/patient-presence';
import type { Protocol } from '$lib/domain/protocol';
import type { CarePlan } from './care-plan.svelte';

/**
 * The patient's care plan once it is open. Its code (the plan, its store, the schedule, zoned time) loads
 * only for a patient, or once a new visitor starts the onboarding form, so the welcome screen
 * stays light. One plan per app start (the protocol arrives once with the app, and a new one
 * takes effect on the next start), or until the stored data is replaced whole (`reopenCarePlan`).
 *
 * Module state rather than a context, because the root layout must not import the plan's code;
 * pages render in the browser only (`ssr = false`), so nothing is shared between patients.
 */
class Session {
	carePlan = $state.raw<CarePlan | null>(null);
	/**
	 * How many plans replaced another (`reopenCarePlan`): the root layout renders every screen anew
	 * when it changes. Not keyed on the plan itself: the first plan opens in the onboarding form's
	 * load (or its preload, on a tap), while the welcome screen is still shown, and re-rendering
	 * that screen then would swallow the tap.
	 */
	generation = $state(0);
}

export const session = new Session();

let opening: Promise<CarePlan> | null = null;
/** What the phone held at start: asked once, by the layout's and the page's loads together. */
let stored: Promise<boolean> | null = null;

/**
 * Opens the care plan stored on this phone (an empty one for a new visitor), once.
 * @param protocol the clinic's protocol, from the root layout's load
 * @throws when the phone's storage will not open; the next call tries again
 */
export function openCarePlan(protocol: Protocol): Promise<CarePlan> {
	opening ??= open(protocol, false);
	return opening;
}

function open(protocol: Protocol, replacing: boolean): Promise<CarePlan> {
	return (async () => {
		const [{ CarePlan }, { CareStore }] = await Promise.all([
			import('./care-plan.svelte'),
			import('$lib/device/care-store')
		]);
		const carePlan = new CarePlan(protocol, new CareStore(getDb));
		await carePlan.load();
		// Together, so that the screens are rendered anew once, and with the new plan.
		session.carePlan = carePlan;
		if (replacing) {
			session.generation += 1;
		}
		return carePlan;
	})().catch((error: unknown) => {
		opening = null;
		throw error;
	});
}

/**
 * Opens the care plan afresh after everything stored on the phone was replaced at once (a backup
 * restored, all data deleted). The new plan takes the old one's place in one step, and everything
 * cached about the old data goes with it: the diary (made per plan), the pages and the patient's
 * chrome (the root layout renders them anew: `generation`), and whether this is a patient. Push
 * reminders follow whichever plan is open, and sync at once when it is a new one.
 * @param protocol the clinic's protocol, from the root layout's load
 * @throws when the phone's storage will not open; the old plan then stays open
 */
export function reopenCarePlan(protocol: Protocol): Promise<CarePlan> {
	stored = null;
	opening = open(protocol, true);
	return opening;
}

/**
 * Whether this phone holds a patient's plan (or one is open already). For a patient, the plan's
 * code starts loading at once, alongside whatever else the app is waiting for.
 * @throws when the phone's storage will not open
 */
export async function isPatient(): Promise<boolean> {
	stored ??= hasPatient(getDb).catch((error: unknown) => {
		stored = null;
		throw error;
	});
	// A plan opened since (the onboarding form) counts too.
	if (opening || (await stored)) {
		void import('./care-plan.svelte').catch(() => undefined);
		void import('$lib/device/care-store').catch(() => undefined);
		return true;
	}
	return false;
}

/**
 * The open care plan, for a page or component that shows it. The root layout opens it before
 * rendering any page but the welcome screen, and the onboarding form's load opens it for that form.
 * @throws when no plan is open: a programming error, not a patient's
 */
export function useCarePlan(): CarePlan {
	if (!session.carePlan) {
		throw new Error('useCarePlan() before the care plan was opened');
	}
	return session.carePlan;
}
