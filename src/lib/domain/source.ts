/**
 * The quoted sentences of a protocol `source`, always as a list. Apart from `protocol.ts` so that
 * the phone gets it without the validation schema and its library.
 * @param quoted one sentence or several
 */
export function sourceQuotes(quoted: string | string[]): string[] {
	return typeof quoted === 'string' ? [quoted] : quoted;
}
