import { config } from '$lib/server/runtime';
import type { LayoutServerLoad } from './$types';

/** The clinic's protocol reaches the phone with the page; it holds nothing about the patient. */
export const load: LayoutServerLoad = () => ({ protocol: config().protocol });
