import type { ParamMatcher } from '@sveltejs/kit';

/** The sections of Settings (`/settings/[section=section]`): any other address is not found. */
export const match = ((
	param: string
): param is 'reminders' | 'answers' | 'clinic' | 'data' | 'app' =>
	['reminders', 'answers', 'clinic', 'data', 'app'].includes(param)) satisfies ParamMatcher;
