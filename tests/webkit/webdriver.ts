// A small W3C WebDriver client over plain HTTP (fetch): the dozen commands the WebKit tests use.
// WebDriver is JSON over HTTP, so this needs no dependency; webdriverio or selenium-webdriver
// would bring a large tree of packages (and selenium's driver downloads, which cannot work here)
// for the same dozen calls.

/** The key W3C WebDriver uses for an element reference. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** An error the WebDriver server answered with, e.g. `no such element`. */
export class WebDriverError extends Error {
	override name = 'WebDriverError';

	constructor(
		readonly error: string,
		message: string
	) {
		super(`${error}: ${message}`);
	}
}

/** One session of a WebDriver server: a browser window and what it shows. */
export class Session {
	private constructor(
		private readonly server: string,
		readonly id: string,
		readonly capabilities: Record<string, unknown>
	) {}

	/**
	 * Starts a browser through the WebDriver server at `server`.
	 * @param capabilities what `alwaysMatch` asks for
	 */
	static async start(server: string, capabilities: Record<string, unknown>): Promise<Session> {
		const value = await command<{ sessionId: string; capabilities: Record<string, unknown> }>(
			server,
			'POST',
			'/session',
			{ capabilities: { alwaysMatch: capabilities } }
		);
		return new Session(server, value.sessionId, value.capabilities);
	}

	private send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
		return command<T>(this.server, method, `/session/${this.id}${path}`, body);
	}

	/** Ends the session; the server closes the browser. */
	async end(): Promise<void> {
		await this.send('DELETE', '');
	}

	async setWindowRect(rect: { width: number; height: number }): Promise<void> {
		await this.send('POST', '/window/rect', rect);
	}

	/** Navigates and waits for the page's load event. */
	async navigate(url: string): Promise<void> {
		await this.send('POST', '/url', { url });
	}

	async url(): Promise<string> {
		return this.send<string>('GET', '/url');
	}

	/** Reloads and waits for the page's load event. */
	async refresh(): Promise<void> {
		await this.send('POST', '/refresh', {});
	}

	/** Every element an XPath expression finds, in document order. */
	async findAll(xpath: string, within?: Element): Promise<Element[]> {
		const path = within ? `/element/${within.id}/elements` : '/elements';
		const found = await this.send<Record<string, string>[]>('POST', path, {
			using: 'xpath',
			value: xpath
		});
		return found.map((reference) => new Element(this, reference[ELEMENT]!));
	}

	/**
	 * Runs `script` (a function body; `arguments` holds `args`) in the page, synchronously.
	 * Elements in `args` are passed as DOM elements.
	 */
	async execute<T>(script: string, args: unknown[] = []): Promise<T> {
		return this.send<T>('POST', '/execute/sync', { script, args: args.map(toWire) });
	}

	/** Runs `script` in the page; it ends by calling `arguments[arguments.length - 1](value)`. */
	async executeAsync<T>(script: string, args: unknown[] = []): Promise<T> {
		return this.send<T>('POST', '/execute/async', { script, args: args.map(toWire) });
	}

	/** A PNG of the window. */
	async screenshot(): Promise<Buffer> {
		return Buffer.from(await this.send<string>('GET', '/screenshot'), 'base64');
	}

	/** @internal for `Element` */
	elementCommand<T>(method: 'GET' | 'POST', element: Element, path: string, body?: unknown) {
		return this.send<T>(method, `/element/${element.id}${path}`, body);
	}
}

/** A reference to an element of the page a session shows. */
export class Element {
	constructor(
		private readonly session: Session,
		readonly id: string
	) {}

	/** Scrolls it into view and clicks its centre, as a tap would. */
	async click(): Promise<void> {
		await this.session.elementCommand('POST', this, '/click', {});
	}

	/** Types `text` into it; for a file input, `text` is the path of a file to choose. */
	async type(text: string): Promise<void> {
		await this.session.elementCommand('POST', this, '/value', { text });
	}

	async clear(): Promise<void> {
		await this.session.elementCommand('POST', this, '/clear', {});
	}

	/** Its rendered text. */
	async text(): Promise<string> {
		return this.session.elementCommand<string>('GET', this, '/text');
	}

	async property<T>(name: string): Promise<T> {
		return this.session.elementCommand<T>('GET', this, `/property/${name}`);
	}

	async displayed(): Promise<boolean> {
		return this.session.elementCommand<boolean>('GET', this, '/displayed');
	}

	async enabled(): Promise<boolean> {
		return this.session.elementCommand<boolean>('GET', this, '/enabled');
	}
}

function toWire(value: unknown): unknown {
	return value instanceof Element ? { [ELEMENT]: value.id } : value;
}

async function command<T>(
	server: string,
	method: 'GET' | 'POST' | 'DELETE',
	path: string,
	body?: unknown
): Promise<T> {
	const response = await fetch(`${server}${path}`, {
		method,
		headers: body === undefined ? undefined : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const answer = (await response.json()) as {
		value: T | { error: string; message: string };
	};
	if (!response.ok) {
		const { error, message } = answer.value as { error: string; message: string };
		throw new WebDriverError(error, message);
	}
	return answer.value as T;
}
