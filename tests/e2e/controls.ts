import type { BrowserContext, Page } from '@playwright/test';

/**
 * A control as a patient meets it: its role and accessible name, and the screen it is on. Controls
 * outside `<main>` (the navigation bar, the skip link, the update prompt) are the app's shell, the
 * same on every screen: their route is "*".
 */
export interface Control {
	role: string;
	name: string;
	route: string;
	/** A link's address as written: the allow-list knows phone numbers and other sites by it. */
	href?: string;
}

/** The file each test's presses go to, in its output folder; read by scripts/e2e-coverage.js. */
export const PRESSES_FILE = 'controls-pressed.json';
/** The file the inventory spec writes the controls it found to. */
export const INVENTORY_FILE = 'controls-present.json';

/**
 * In the page: the control an element belongs to, named as the accessibility tree names it, or
 * null for a click on no control. Self-contained (it is sent to the page as source): the press
 * recorder and the inventory both use it, and the inventory checks its names against Chromium's
 * accessibility tree, so a press and a listed control always carry the same name.
 */
export function describeControl(target: Element): Control | null {
	const interactive =
		'a[href], button, input, select, textarea, summary, label, [role="button"], [role="link"], [role="checkbox"], [role="radio"]';
	let element = target.closest(interactive);
	if (element instanceof HTMLLabelElement) {
		element = element.control ?? element;
	}
	if (!element || element instanceof HTMLLabelElement) {
		return null;
	}
	const hidden = (node: Element) =>
		node.getAttribute('aria-hidden') === 'true' ||
		node.hasAttribute('hidden') ||
		getComputedStyle(node).display === 'none';
	const textOf = (node: Node): string => {
		if (node.nodeType === Node.TEXT_NODE) {
			return node.textContent ?? '';
		}
		if (!(node instanceof Element) || hidden(node)) {
			return '';
		}
		if (node instanceof HTMLImageElement) {
			return node.alt;
		}
		const label = node.getAttribute('aria-label');
		if (label && node !== element) {
			return label;
		}
		const inline = getComputedStyle(node).display.startsWith('inline');
		const inner = [...node.childNodes].map(textOf).join('');
		return inline ? inner : ` ${inner} `;
	};
	const normalise = (text: string) =>
		text
			.replace(/\s+/g, ' ')
			.replace(/ ([:,.;!?])/g, '$1')
			.trim();
	let name: string;
	const labelledBy = element.getAttribute('aria-labelledby');
	if (labelledBy) {
		name = labelledBy
			.split(/\s+/)
			.map((id) => {
				const labelElement = document.getElementById(id);
				return labelElement ? textOf(labelElement) : '';
			})
			.join(' ');
	} else if (element.getAttribute('aria-label')) {
		name = element.getAttribute('aria-label')!;
	} else if (element instanceof HTMLInputElement && element.type !== 'button') {
		name = [...(element.labels ?? [])].map(textOf).join(' ');
	} else {
		name = textOf(element);
	}
	const type = element instanceof HTMLInputElement ? element.type : '';
	const role =
		element.getAttribute('role') ??
		(element instanceof HTMLAnchorElement
			? 'link'
			: element instanceof HTMLButtonElement || ['button', 'submit', 'reset', 'file'].includes(type)
				? 'button'
				: type === 'checkbox' || type === 'radio'
					? type
					: element.tagName === 'SUMMARY'
						? 'summary'
						: element instanceof HTMLSelectElement
							? 'combobox'
							: 'textbox');
	const href = element instanceof HTMLAnchorElement ? element.getAttribute('href') : null;
	return {
		role,
		name: normalise(name),
		route: element.closest('main') ? location.pathname : '*',
		...(href === null ? {} : { href })
	};
}

/**
 * In the page: reports every press a person makes to the test, before the app handles it (and
 * perhaps navigates away). Taps, clicks, checks and keyboard activations all end in a trusted
 * click; a file input is pressed when a file is chosen in it.
 */
function reportPresses(
	describe: (target: Element) => Control | null,
	report: (control: Control) => Promise<void>
) {
	const pressed = (event: Event) => {
		const control =
			event.isTrusted && event.target instanceof Element ? describe(event.target) : null;
		if (control) {
			void report(control);
		}
	};
	addEventListener('click', pressed, true);
	addEventListener(
		'change',
		(event) => {
			if (event.target instanceof HTMLInputElement && event.target.type === 'file') {
				pressed(event);
			}
		},
		true
	);
}

const BINDING = '__e2eControlPressed';

/**
 * Records, in `pressed`, every control a person presses in the context's pages: taps, clicks,
 * checks and keyboard activations all end in a trusted click event.
 */
export async function recordPresses(context: BrowserContext, pressed: Control[]): Promise<void> {
	await context.exposeBinding(BINDING, (_source, control: Control) => {
		pressed.push(control);
	});
	await context.addInitScript({
		content: `(${reportPresses})(${describeControl}, (control) => window.${BINDING}(control));`
	});
}

/** Chromium's accessibility roles of the controls a person presses, as `describeControl` names them. */
const PRESSABLE_ROLES: Record<string, string> = {
	button: 'button',
	link: 'link',
	checkbox: 'checkbox',
	radio: 'radio',
	switch: 'switch',
	// A <summary>: the toggle of a <details>.
	DisclosureTriangle: 'summary'
};

/**
 * Lists the controls on the page as Chromium's accessibility tree has them (hidden ones are not
 * in it), and checks that `describeControl`, which names the presses, names each the same.
 * @returns the controls, and every one the two name differently (which the caller fails on)
 */
export async function listControls(
	page: Page
): Promise<{ controls: Control[]; mismatches: string[] }> {
	const cdp = await page.context().newCDPSession(page);
	try {
		const { nodes } = await cdp.send('Accessibility.getFullAXTree');
		const controls: Control[] = [];
		const mismatches: string[] = [];
		for (const node of nodes) {
			const role = PRESSABLE_ROLES[String(node.role?.value)];
			if (node.ignored || !role || node.backendDOMNodeId === undefined) {
				continue;
			}
			const name = String(node.name?.value ?? '');
			const { object } = await cdp.send('DOM.resolveNode', {
				backendNodeId: node.backendDOMNodeId
			});
			const { result } = await cdp.send('Runtime.callFunctionOn', {
				objectId: object.objectId,
				// Parts of a native control (a date field's picker button) live in its shadow root.
				functionDeclaration: `function () {
					return this.getRootNode() instanceof ShadowRoot ? 'native' : (${describeControl})(this);
				}`,
				returnByValue: true
			});
			if (result.value === 'native') {
				continue;
			}
			const described = result.value as Control | null;
			// Chromium and the recorder space words differently across element boundaries.
			const words = (text: string) => text.replace(/\s+/g, '');
			if (!described || described.role !== role || words(described.name) !== words(name)) {
				mismatches.push(
					`${role} "${name}" in the accessibility tree is ${described ? `${described.role} "${described.name}"` : 'no control'} to the press recorder`
				);
				continue;
			}
			controls.push(described);
		}
		return { controls, mismatches };
	} finally {
		await cdp.detach();
	}
}
