// The clinic page's pure parts: the enrolment a treatment form describes, the QR code's modules as
// one SVG path, and the e-mail that carries a link. The link's format itself is enrolment.ts's.
import type { Enrolment } from './enrolment';
import type { Treatment } from './schedule';

/**
 * The enrolment for a treatment the clinic's staff entered (validate it with `treatmentErrors`
 * first): every field the form holds goes into the link, so the phone needs to ask nothing again.
 * @param protocolId the protocol the patient's plan follows, named so that a server with several
 *   protocols opens the right one
 */
export function enrolmentOfTreatment(treatment: Treatment, protocolId: string | null): Enrolment {
	return {
		protocol: protocolId,
		date: treatment.date,
		time: treatment.time,
		timeZone: treatment.timeZone,
		areas: treatment.areas.length > 0 ? [...treatment.areas] : null,
		type: treatment.type,
		needleDepthMm: treatment.needleDepthMm,
		seriesNumber: treatment.seriesNumber,
		seriesTotal: treatment.seriesTotal
	};
}

/**
 * The dark modules of a QR code as one SVG path in module units (draw it in a `viewBox` of the
 * grid's size): each run of dark modules in a row is one rectangle, which keeps the path short
 * and leaves no hairline gaps between neighbours when a printer or screen scales it.
 * @param modules rows of modules, `true` for dark, quiet zone included
 */
export function qrPath(modules: readonly (readonly boolean[])[]): string {
	const parts: string[] = [];
	modules.forEach((row, y) => {
		let x = 0;
		while (x < row.length) {
			if (!row[x]) {
				x += 1;
				continue;
			}
			const start = x;
			while (x < row.length && row[x]) {
				x += 1;
			}
			parts.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
		}
	});
	return parts.join('');
}

/**
 * A `mailto:` link that hands the enrolment link to the patient's own mail: no recipient (staff
 * type the patient's address in their mail app), a subject naming the clinic, the link in the body.
 * @param clinicName the clinic's name from the protocol, or empty when it has none
 */
export function enrolmentMailto(link: string, clinicName: string): string {
	const from = clinicName.trim() ? ` from ${clinicName.trim()}` : '';
	const subject = `Your aftercare plan${from}`;
	const body = [
		'Hello,',
		'',
		'Open this link on your phone to set up your aftercare plan. Your plan stays on your phone.',
		'',
		link,
		''
	].join('\n');
	// encodeURIComponent, not URLSearchParams: mail apps read "+" as a plus sign, not a space
	// (RFC 6068).
	return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
