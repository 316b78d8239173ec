// The enrolment link: a clinic's "scan this, your plan is ready". It carries one treatment, as the
// clinic's staff entered it, in the URL's fragment (`#…`), which browsers never send to a server,
// so no server log ever holds a treatment date. The format is versioned and documented in
// docs/enrolment-link.md, so that a clinic's booking system can build links itself; this module
// is the one place that writes and reads it (the clinic page, the patient's phone, the tests).
//
//   https://clinic.example/enrol#v=1&p=microneedling&d=2027-04-08&t=10:30&z=Europe/Berlin&a=face,neck&k=standard&mm=1.5&n=1&of=3
//
// Short keys keep the QR code small enough to scan from paper. Who set the plan up is not in the
// link: the clinic's name and logo come from the server that serves it, so a link cannot claim
// to be from another clinic.
import { m } from '$lib/paraglide/messages';
import { canonicalTag } from '$lib/i18n/pick-locale';
import { treatmentTypes, type TreatmentType } from './schedule';
import { isDate, isTime, isTimeZone } from './zoned-time';

/** The version this app writes, and the newest it reads. */
export const enrolmentVersion = 1;

/** The path a link opens; the fragment follows it. */
export const enrolmentPath = '/enrol';

/** One treatment as a clinic hands it over: what the patient would otherwise type in. */
export interface Enrolment {
	/** The protocol's id; null for the server's default protocol. */
	protocol: string | null;
	/** Appointment date and time on the clinic's clock. */
	date: string;
	time: string;
	/** The clinic's IANA zone; null when the link leaves it out (the phone's zone then). */
	timeZone: string | null;
	/** Area ids of the protocol; null for the form's default. */
	areas: string[] | null;
	type: TreatmentType | null;
	needleDepthMm: number | null;
	/** 1 for the first session of a series. */
	seriesNumber: number;
	seriesTotal: number | null;
}

/** What a link held: the whole enrolment when it reads, what could be read, and why not. */
export interface ReadEnrolment {
	enrolment: Enrolment | null;
	/** Every field that could be read, to fill the form when the whole could not be used. */
	found: Partial<Enrolment>;
	/** What is wrong, in the patient's words; empty when `enrolment` is set. */
	problems: string[];
	/**
	 * The language the clinic chose for the patient (`lang`), a canonical BCP 47 tag (`de`,
	 * `de-AT`); null when the link has none, or one that is not a well-formed tag (ignored, never a
	 * problem). Not part of the treatment: a link without it still sets up the same plan.
	 */
	language: string | null;
}

/**
 * The fragment (without `#`) for an enrolment: fields left null are left out.
 * @param language the patient's language as a BCP 47 tag (`lang`); left out when null
 */
export function enrolmentFragment(enrolment: Enrolment, language: string | null = null): string {
	const fields: [string, string | null][] = [
		['v', String(enrolmentVersion)],
		['p', enrolment.protocol],
		['d', enrolment.date],
		['t', enrolment.time],
		['z', enrolment.timeZone],
		['a', enrolment.areas?.join(',') ?? null],
		['k', enrolment.type],
		['mm', enrolment.needleDepthMm === null ? null : String(enrolment.needleDepthMm)],
		['n', String(enrolment.seriesNumber)],
		['of', enrolment.seriesTotal === null ? null : String(enrolment.seriesTotal)],
		['lang', language === null ? null : canonicalTag(language)]
	];
	const params = new URLSearchParams();
	for (const [key, value] of fields) {
		if (value !== null) {
			params.set(key, value);
		}
	}
	// Slashes, colons and commas are safe in a fragment; kept readable, they also keep the QR
	// smaller.
	return params.toString().replace(/%2F|%3A|%2C/g, (code) => decodeURIComponent(code));
}

/**
 * The whole link.
 * @param origin the app's origin, e.g. `https://clinic.example`
 * @param language the patient's language as a BCP 47 tag; null for none
 */
export function enrolmentLink(
	origin: string,
	enrolment: Enrolment,
	language: string | null = null
): string {
	return `${origin.replace(/\/+$/, '')}${enrolmentPath}#${enrolmentFragment(enrolment, language)}`;
}

const idPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const maxFragment = 2000;

/**
 * Reads a link's fragment, with or without its `#`. Never throws: a malformed, truncated or
 * future-version link gives its problems in words and whatever fields could be read.
 */
export function readEnrolment(fragment: string): ReadEnrolment {
	const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
	if (text.length > maxFragment) {
		return {
			enrolment: null,
			found: {},
			problems: [m.enrol_link_too_long()],
			language: null
		};
	}
	let params: URLSearchParams;
	try {
		params = new URLSearchParams(text);
	} catch {
		return { enrolment: null, found: {}, problems: [m.enrol_link_unreadable()], language: null };
	}
	const problems: string[] = [];
	const found: Partial<Enrolment> = {};
	const get = (key: string) => params.get(key)?.trim() || null;
	const lang = get('lang');
	const language = lang === null ? null : canonicalTag(lang);

	const version = get('v');
	if (version === null) {
		problems.push(m.enrol_link_not_clinic());
	} else if (!/^[0-9]{1,4}$/.test(version)) {
		problems.push(m.enrol_link_version_unreadable());
	} else if (Number(version) > enrolmentVersion) {
		problems.push(m.enrol_link_newer_version());
	}

	const protocol = get('p');
	if (protocol !== null) {
		if (idPattern.test(protocol)) {
			found.protocol = protocol;
		} else {
			problems.push(m.enrol_link_protocol_unreadable());
		}
	}

	const date = get('d');
	if (date !== null && isDate(date)) {
		found.date = date;
	} else {
		problems.push(m.enrol_link_date_missing());
	}
	const time = get('t');
	if (time !== null && isTime(time)) {
		found.time = time;
	} else {
		problems.push(m.enrol_link_time_missing());
	}

	const zone = get('z');
	if (zone !== null) {
		if (isTimeZone(zone)) {
			found.timeZone = zone;
		} else {
			problems.push(m.enrol_link_zone_unreadable());
		}
	}

	const areas = get('a');
	if (areas !== null) {
		const ids = areas.split(',').filter((area) => area !== '');
		if (ids.length > 0 && ids.every((area) => idPattern.test(area))) {
			found.areas = [...new Set(ids)];
		} else {
			problems.push(m.enrol_link_areas_unreadable());
		}
	}

	const type = get('k');
	if (type !== null) {
		if ((treatmentTypes as readonly string[]).includes(type)) {
			found.type = type as TreatmentType;
		} else {
			problems.push(m.enrol_link_kind_unreadable());
		}
	}

	const depth = get('mm');
	if (depth !== null) {
		const mm = Number(depth);
		if (/^[0-9]{1,2}(\.[0-9]{1,2})?$/.test(depth) && mm > 0) {
			found.needleDepthMm = mm;
		} else {
			problems.push(m.enrol_link_depth_unreadable());
		}
	}

	const session = get('n');
	if (session !== null) {
		if (/^[0-9]{1,2}$/.test(session) && Number(session) >= 1) {
			found.seriesNumber = Number(session);
		} else {
			problems.push(m.enrol_link_session_unreadable());
		}
	}
	const total = get('of');
	if (total !== null) {
		if (/^[0-9]{1,2}$/.test(total) && Number(total) >= 1) {
			found.seriesTotal = Number(total);
		} else {
			problems.push(m.enrol_link_total_unreadable());
		}
	}
	if (
		found.seriesNumber !== undefined &&
		typeof found.seriesTotal === 'number' &&
		found.seriesNumber > found.seriesTotal
	) {
		problems.push(
			m.enrol_link_session_beyond_series({
				session: found.seriesNumber,
				total: found.seriesTotal
			})
		);
		delete found.seriesTotal;
	}

	if (problems.length > 0 || found.date === undefined || found.time === undefined) {
		return { enrolment: null, found, problems, language };
	}
	return {
		enrolment: {
			protocol: found.protocol ?? null,
			date: found.date,
			time: found.time,
			timeZone: found.timeZone ?? null,
			areas: found.areas ?? null,
			type: found.type ?? null,
			needleDepthMm: found.needleDepthMm ?? null,
			seriesNumber: found.seriesNumber ?? 1,
			seriesTotal: found.seriesTotal ?? null
		},
		found,
		problems: [],
		language
	};
}

/**
 * What a link holds for this server: a link naming a protocol other than the one served cannot be
 * used, and says so; what it held besides is kept for the form (the protocol aside).
 * @param read what `readEnrolment` gave
 * @param protocolId the id of the protocol this server serves
 */
export function forProtocol(read: ReadEnrolment, protocolId: string): ReadEnrolment {
	const { protocol, ...rest } = read.found;
	if (protocol === undefined || protocol === protocolId) {
		return { ...read, found: rest };
	}
	return {
		enrolment: null,
		found: rest,
		problems: [m.enrol_link_unknown_protocol({ protocol: protocol ?? '' }), ...read.problems],
		language: read.language
	};
}
