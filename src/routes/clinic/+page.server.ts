import { error } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { PageServerLoad } from './$types';

/**
 * The clinic page creates nothing on the server: this only says whether it is served
 * (`CLINIC_PAGE`), and the origin its links open when `ORIGIN` is set (staff may reach the server
 * by an inside address the patients' phones cannot). Without it the page uses its own origin:
 * adapter-node would guess https here, behind a proxy or not.
 */
export const load: PageServerLoad = () => {
	const current = config();
	if (!current.clinicPage) {
		error(404, 'Not Found');
	}
	return { origin: current.push.publicOrigin };
};
