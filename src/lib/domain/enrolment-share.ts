// The clinic page's pure parts: the enrolment a treatment form describes, the QR code's modules as
// one SVG path, and the e-mail that carries a link. The link's format itself is enrolment.ts's.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
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
 * @param locale the patient's language, which the e-mail is written in (not the page's)
 */
export function enrolmentMailto(link: string, clinicName: string, locale?: Locale): string {
	const options = locale ? { locale } : undefined;
	const clinic = clinicName.trim();
	const subject = clinic
		? m.clinic_mail_subject_from({ clinic }, options)
		: m.clinic_mail_subject({}, options);
	const body = [
		m.clinic_mail_greeting({}, options),
		'',
		m.clinic_mail_body({}, options),
		'',
		link,
		''
	].join('\n');
	// encodeURIComponent, not URLSearchParams: mail apps read "+" as a plus sign, not a space
	// (RFC 6068).
	return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/**
 * "Microneedling on Thursday 8 April 2027 at 10:30": when the treatment is, for the handout, in the
 * patient's language, whatever the page's (src/lib/format.ts speaks the page's language only).
 * @param locale the patient's language
 * @param tag the tag to write the date and time with: the locale, or the page's own tag (`en-GB`,
 *   region included) when the patient's language is the page's
 */
export function handoutWhen(enrolment: Enrolment, locale: Locale, tag: string = locale): string {
	const options = { locale };
	const kind =
		enrolment.type === 'rf' ? m.format_type_rf({}, options) : m.format_type_standard({}, options);
	const date = new Intl.DateTimeFormat(tag, {
		weekday: 'long',
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC'
	}).format(new Date(`${enrolment.date}T12:00:00Z`));
	const time = new Intl.DateTimeFormat(tag, {
		hour: 'numeric',
		minute: '2-digit',
		timeZone: 'UTC'
	}).format(new Date(`1970-01-01T${enrolment.time}:00Z`));
	return m.clinic_handout_when({ kind, date, time }, options);
}

/**
 * "2nd session of 3", in the patient's language; null for a first session of a series of unknown
 * length (nothing worth printing).
 * @param locale the patient's language
 */
export function handoutSeries(enrolment: Enrolment, locale: Locale): string | null {
	if (enrolment.seriesNumber <= 1 && enrolment.seriesTotal === null) {
		return null;
	}
	const options = { locale };
	const nth = m.format_ordinal({ n: enrolment.seriesNumber }, options);
	return enrolment.seriesTotal
		? m.format_nth_session_of({ nth, total: enrolment.seriesTotal }, options)
		: m.format_nth_session({ nth }, options);
}
