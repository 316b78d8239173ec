import { gzipSync } from 'node:zlib';
import { json } from '@sveltejs/kit';
import { config } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Protocols never change while the server runs: each is serialised and compressed once. */
const cached = new Map<string, { json: string; gzip: Buffer }>();

const idPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * A care protocol: `?id=<id>` for one of the server's protocols (an enrolment link names it; a
 * phone asks for the one it uses), else the default. The same for every patient; the phone keeps
 * a copy for offline starts.
 */
export const GET: RequestHandler = ({ request, url }) => {
	const { protocol: fallback, protocols } = config();
	const id = url.searchParams.get('id');
	if (id !== null && !idPattern.test(id)) {
		return json({ error: 'id: must be a protocol id (a-z, 0-9 and -)' }, { status: 400 });
	}
	const protocol = id === null ? fallback : protocols.get(id);
	if (!protocol) {
		return json({ error: `This server has no protocol "${id}"` }, { status: 404 });
	}
	let body = cached.get(protocol.id);
	if (!body) {
		const text = JSON.stringify(protocol);
		body = { json: text, gzip: gzipSync(text, { level: 9 }) };
		cached.set(protocol.id, body);
	}
	const headers = {
		'content-type': 'application/json',
		'cache-control': 'no-cache',
		vary: 'accept-encoding'
	};
	// adapter-node compresses static files only; this answer is read at every start of the app.
	if (/\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')) {
		return new Response(new Uint8Array(body.gzip), {
			headers: { ...headers, 'content-encoding': 'gzip' }
		});
	}
	return new Response(body.json, { headers });
};
