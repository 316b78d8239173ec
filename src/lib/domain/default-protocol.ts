import { describeProblems, parseProtocol, type Protocol } from './protocol';
import raw from './protocols/microneedling.json';

/**
 * The protocol shipped with the app, validated once. A broken default is a bug in this repository,
 * so it throws with every problem listed.
 */
export function defaultProtocol(): Protocol {
	const result = parseProtocol(raw);
	if (!result.ok) {
		throw new Error(`The bundled protocol is invalid:\n${describeProblems(result.problems)}`);
	}
	return result.protocol;
}
