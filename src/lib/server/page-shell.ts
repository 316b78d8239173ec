import { shortName, themeColour } from '$lib/domain/clinic-brand';
import type { Clinic } from '$lib/domain/protocol';

/** The light theme's media, as app.html writes it for each element that belongs to a scheme. */
const lightMedia = 'screen and (prefers-color-scheme: light)';

const htmlEscapes: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/**
 * Escapes text for an HTML attribute.
 * @param text any text, e.g. a clinic's name
 */
function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/**
 * Fills in app.html's `%clinic.…%` placeholders: the light browser bar in the accent, the
 * stylesheet that makes the accent the light theme's brand colour (only with an accent; marked
 * `data-scheme="light"` so a patient's choice of Dark turns it off like the light bar colour), and
 * the iPhone's home-screen title.
 * @param html the page as SvelteKit rendered it
 * @param clinic the protocol's clinic
 */
export function fillClinicPlaceholders(html: string, clinic: Clinic): string {
	const stylesheet = clinic.accent
		? `<link rel="stylesheet" href="/clinic.css" media="${lightMedia}" data-scheme="light" />`
		: '';
	// Replaced by functions: a string would read `$&` or `$'` in a clinic's name as patterns.
	return html
		.replace('%clinic.themeColour%', () => escapeHtml(themeColour(clinic)))
		.replace('%clinic.shortName%', () => escapeHtml(shortName(clinic)))
		.replace('%clinic.stylesheet%', () => stylesheet);
}
