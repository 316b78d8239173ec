import { expect, type Page } from '@playwright/test';

/**
 * What a page shows that did not come through the message catalogue, in the pseudo-locale build
 * (scripts/pseudo-locale.js), where every message reads ⟦…⟧: each visible text node, accessible
 * name (aria-label), alt text, title and placeholder, and the document's title, with every ⟦…⟧
 * part taken out, must hold nothing but figures, punctuation, dates and times written by `Intl`
 * (their words come from the browser, not the catalogue), or the test's own `data` (what the test
 * typed, as a patient would). Inside `translate="no"` (names, a phone number, the patient's own
 * words) nothing is checked.
 * @returns each leftover with a CSS-ish path to where it is, empty when every text is wrapped
 */
export async function unwrappedTexts(page: Page, data: readonly string[] = []): Promise<string[]> {
	return page.evaluate((data) => {
		const intlWords = new Set<string>();
		const tag = document.documentElement.lang || 'en';
		for (const style of ['long', 'short', 'narrow'] as const) {
			for (let month = 0; month < 12; month++) {
				const date = new Date(Date.UTC(2026, month, 15, 12));
				intlWords.add(new Intl.DateTimeFormat(tag, { month: style, timeZone: 'UTC' }).format(date));
			}
			for (let day = 0; day < 7; day++) {
				const date = new Date(Date.UTC(2026, 10, 16 + day, 12));
				intlWords.add(
					new Intl.DateTimeFormat(tag, { weekday: style, timeZone: 'UTC' }).format(date)
				);
			}
		}
		for (const hour of [9, 21]) {
			const parts = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).formatToParts(
				new Date(Date.UTC(2026, 0, 1, hour))
			);
			for (const part of parts) {
				if (part.type === 'dayPeriod') {
					intlWords.add(part.value);
				}
			}
		}
		const words = [...data, ...intlWords].filter((word) => word.trim() !== '');
		words.sort((a, b) => b.length - a.length);

		function leftover(text: string): string {
			let rest = text;
			// Innermost first: a message may hold another as a placeholder.
			for (let before = ''; before !== rest;) {
				before = rest;
				rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
			}
			for (const word of words) {
				rest = rest.split(word).join(' ');
			}
			// Figures, punctuation and symbols on their own say nothing in a language.
			return rest.replace(/[\p{N}\p{P}\p{S}\p{Z}\s]/gu, '');
		}

		function where(element: Element): string {
			const path: string[] = [];
			for (let at: Element | null = element; at && at !== document.body; at = at.parentElement) {
				path.unshift(at.tagName.toLowerCase() + (at.id ? `#${at.id}` : ''));
			}
			return path.slice(-4).join(' > ');
		}

		const found: string[] = [];
		const skipped = (element: Element) =>
			element.closest('[translate="no"], script, style, noscript, template') !== null;
		const visible = (element: Element) =>
			element.checkVisibility({ visibilityProperty: true, opacityProperty: false }) ||
			element.closest('.visually-hidden') !== null;

		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const parent = node.parentElement;
			const text = node.textContent ?? '';
			if (!parent || text.trim() === '' || skipped(parent) || !visible(parent)) {
				continue;
			}
			if (leftover(text) !== '') {
				found.push(`${where(parent)}: "${text.trim()}"`);
			}
		}
		for (const element of document.body.querySelectorAll(
			'[aria-label], [alt], [title], [placeholder]'
		)) {
			if (skipped(element)) {
				continue;
			}
			for (const name of ['aria-label', 'alt', 'title', 'placeholder']) {
				const value = element.getAttribute(name);
				if (value && leftover(value) !== '') {
					found.push(`${where(element)} [${name}]: "${value}"`);
				}
			}
		}
		if (leftover(document.title) !== '') {
			found.push(`<title>: "${document.title}"`);
		}
		return found;
	}, data);
}

/** Fails with every text on the page that is not from the catalogue (see `unwrappedTexts`). */
export async function expectEveryTextTranslated(
	page: Page,
	screen: string,
	data: readonly string[] = []
): Promise<void> {
	expect(await unwrappedTexts(page, data), `texts not in the catalogue on ${screen}`).toEqual([]);
}
