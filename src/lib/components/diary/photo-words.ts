import { PhotoError } from '$lib/device/photo-processing';
import { m } from '$lib/paraglide/messages';

/**
 * What to tell the patient when a photo could not be prepared, in the app's language. The words
 * are chosen here by `PhotoError.reason`: photo-processing.ts imports nothing (its e2e test loads it
 * into a page as it is), so its own messages stay English, for the console.
 * @param error whatever `processPhoto` threw
 */
export function photoErrorText(error: unknown): string {
	if (error instanceof PhotoError && error.reason === 'unreadable') {
		return m.diary_photo_error_unreadable();
	}
	return m.diary_photo_error_encode();
}
