import { washFor } from './contrast';
import type { Clinic } from './protocol';

/**
 * The clinic's identity where the browser shows it outside the app's pages: the installed app's
 * name and colours (the web app manifest, the iPhone's home-screen title) and the light theme's
 * brand colours. Pure: the server's routes and hooks serve what these return.
 */

/** The app's own name, for a clinic that gives none. */
export const appName = 'Aftercare Companion';

/** The app's own brand colour (src/app.css `--brand`) and page background (`--wash`). */
export const appColours = { brand: '#0b5560', wash: '#f2f6f7' } as const;

/** Home screens cut labels at about 12 characters. */
export const shortNameLength = 12;

/**
 * The installed app's name: "Riverside Skin Clinic Aftercare", or the app's own.
 * @param clinic the protocol's clinic
 */
export function installedName(clinic: Pick<Clinic, 'name'>): string {
	const name = clinic.name.trim();
	return name ? `${name} Aftercare` : appName;
}

/**
 * The home-screen label: the installed name when it fits, else "Aftercare" (a cut clinic name
 * such as "Riverside Sk…" says less than the app's purpose).
 * @param clinic the protocol's clinic
 */
export function shortName(clinic: Pick<Clinic, 'name'>): string {
	const name = installedName(clinic);
	return name.length <= shortNameLength ? name : 'Aftercare';
}

/**
 * The browser bar's colour in the light theme: the clinic's accent, or the app's own.
 * @param clinic the protocol's clinic
 */
export function themeColour(clinic: Pick<Clinic, 'accent'>): string {
	return clinic.accent || appColours.brand;
}

/** One icon of the manifest. */
export interface ManifestIcon {
	src: string;
	sizes: string;
	type: string;
	purpose: 'any' | 'maskable';
}

/** The app's own icons (static/icons/). */
export const appIcons: readonly ManifestIcon[] = [
	{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
	{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
	{ src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
];

/**
 * The web app manifest for a clinic's deployment.
 * @param clinic the protocol's clinic
 */
export function webManifest(clinic: Pick<Clinic, 'name' | 'accent'>) {
	return {
		name: installedName(clinic),
		short_name: shortName(clinic),
		description: 'Your microneedling care plan and recovery diary, kept on your phone.',
		id: '/',
		start_url: '/',
		scope: '/',
		display: 'standalone',
		orientation: 'portrait',
		theme_color: themeColour(clinic),
		background_color: appColours.wash,
		lang: 'en',
		categories: ['health', 'medical'],
		icons: appIcons
	};
}

/**
 * The light theme's brand colours for a clinic with an accent, as a stylesheet (served as
 * /clinic.css), or an empty one without. app.html links it for the light scheme only (the dark
 * theme keeps its own brand colour: docs/protocol.md says why); `html:root` outranks app.css's
 * `:root` wherever the two end up in <head>, as static/dark-theme.css does.
 * @param clinic the protocol's clinic; its accent was checked for contrast at start
 */
export function clinicThemeCss(clinic: Pick<Clinic, 'accent'>): string {
	if (!clinic.accent) {
		return '/* This clinic uses the app’s own colours. */\n';
	}
	return `/* The clinic's accent (clinic.accent), for the light theme. */\nhtml:root { --brand: ${clinic.accent}; --brand-wash: ${washFor(clinic.accent)}; }\n`;
}
