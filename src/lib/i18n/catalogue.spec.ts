import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import settings from '../../../project.inlang/settings.json';

/**
 * The message catalogue itself (messages/<locale>/<area>.json): every message in every language,
 * with the same placeholders, so no screen falls back to English or loses a name or a number.
 */
const root = join(import.meta.dirname, '../../../messages');
type Variant = { declarations?: string[]; match: Record<string, string> };
type Message = string | Variant[];

function read(locale: string): Map<string, Message> {
	const messages = new Map<string, Message>();
	for (const file of readdirSync(join(root, locale))) {
		const entries = JSON.parse(readFileSync(join(root, locale, file), 'utf8')) as Record<
			string,
			Message
		>;
		delete entries.$schema;
		for (const [key, message] of Object.entries(entries)) {
			expect(messages.has(key), `${key} is in two files of ${locale}`).toBe(false);
			messages.set(key, message);
		}
	}
	return messages;
}

/** Every text of a message: the string, or each variant's. */
function texts(message: Message): string[] {
	return typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match));
}

/** The inputs a message uses: its `{placeholders}` and declared inputs. */
function inputs(message: Message): string[] {
	const names = new Set<string>();
	for (const text of texts(message)) {
		for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
			names.add(name!);
		}
	}
	if (typeof message !== 'string') {
		for (const declaration of message.flatMap((v) => v.declarations ?? [])) {
			const input = /^input (\w+)$/.exec(declaration);
			if (input) {
				names.add(input[1]!);
			}
		}
	}
	return [...names].sort();
}

const base = read(settings.baseLocale);

describe('the message catalogue', () => {
	it('has files for every language the project declares, and no others', () => {
		expect(readdirSync(root).sort()).toEqual([...settings.locales].sort());
	});

	it('lists every area file in the project', () => {
		const files = readdirSync(join(root, settings.baseLocale)).map(
			(file) => `./messages/{locale}/${file}`
		);
		expect([...settings['plugin.inlang.messageFormat'].pathPattern].sort()).toEqual(files.sort());
	});

	for (const locale of settings.locales.filter((l) => l !== settings.baseLocale)) {
		it(`has every message in ${locale}, with the same placeholders, and nothing empty`, () => {
			const translated = read(locale);
			expect([...translated.keys()].sort()).toEqual([...base.keys()].sort());
			for (const [key, message] of translated) {
				expect(inputs(message), key).toEqual(inputs(base.get(key)!));
				for (const text of texts(message)) {
					expect(text.trim(), key).not.toBe('');
				}
			}
		});
	}
});
