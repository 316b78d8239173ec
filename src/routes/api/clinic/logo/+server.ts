import { json } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/**
 * An SVG opened on its own is a document: it may load nothing and run nothing. Inline styles stay,
 * as drawing programs write them.
 */
const svgPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/**
 * A clinic's logo (`clinic.logo` of a protocol), checked at start. Its address carries its tag
 * (`?v=…`, in the protocol the phones get), so a new logo is a new address, and each protocol of
 * a `PROTOCOL_DIR` names its own; without a tag, the default protocol's logo. The ETag answers a
 * phone that asks again with 304.
 */
export const GET: RequestHandler = ({ request, url }) => {
	const current = config();
	const tag =
		url.searchParams.get('v') ??
		new URL(current.protocol.clinic.logo || '/', url).searchParams.get('v');
	const logo = tag === null ? undefined : current.logos.get(tag);
	if (!logo) {
		return json(
			{ message: 'This clinic has no logo.' },
			{ status: 404, headers: { 'cache-control': 'no-cache' } }
		);
	}
	const etag = `"${logo.tag}"`;
	const headers: Record<string, string> = {
		'content-type': logo.type,
		'x-content-type-options': 'nosniff',
		'cache-control': 'public, max-age=86400',
		etag
	};
	if (logo.type === 'image/svg+xml') {
		headers['content-security-policy'] = svgPolicy;
	}
	if (request.headers.get('if-none-match') === etag) {
		return new Response(null, { status: 304, headers });
	}
	return new Response(new Uint8Array(logo.bytes), {
		headers: { ...headers, 'content-length': String(logo.bytes.length) }
	});
};
