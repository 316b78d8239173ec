// How every script and test here starts Chromium: Debian's build (Playwright's own download
// cannot reach its host from here), with the flags that keep a closed network quiet.

/** The Chromium binary: `CHROME_PATH`, or Debian's. */
export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Flags for headless runs as root, without background traffic. */
export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

/** Launch options for Playwright's `chromium.launch()`. */
export const chromiumLaunchOptions = { executablePath: chromiumPath, args: chromiumArgs };
