import { sayFailure } from '$lib/state/failure';

/**
 * Runs something the patient asked for, and tells them when it fails (`sayFailure`: aborted
 * work is no failure); the error goes no further.
 * @param doing what the app is trying to do, for the message: a catalogue phrase in the patient's
 *   language, e.g. `m.plan_doing_save()` ("save your treatment", "Ihre Behandlung speichern");
 *   see `sayFailure`
 * @param action the work; whatever it awaits counts
 * @returns whether the action succeeded
 */
export async function runAction(doing: string, action: () => Promise<unknown>): Promise<boolean> {
	try {
		await action();
		return true;
	} catch (error) {
		sayFailure(error, doing);
		return false;
	}
}

/**
 * Whether an action of a component is under way, so its buttons can wait for it. One per kind of
 * action (saving, asking …); `run` is `runAction` with `busy` true meanwhile.
 */
export class Pending {
	busy = $state(false);

	/**
	 * Runs the action with `busy` set, and tells the patient when it fails.
	 * @param doing what the app is trying to do, for the message, e.g. "save your check-in"
	 * @param action the work
	 * @returns whether the action succeeded
	 */
	async run(doing: string, action: () => Promise<unknown>): Promise<boolean> {
		this.busy = true;
		try {
			return await runAction(doing, action);
		} finally {
			this.busy = false;
		}
	}
}
