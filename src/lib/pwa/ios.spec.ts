import { describe, expect, it } from 'vitest';
import { isIos, isIosOutsideApp } from './ios';

const android =
	'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36';
const iPhone =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const mac =
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

describe('isIos', () => {
	it.each([
		['an iPhone', iPhone, 'iPhone', 5, true],
		['an iPad asking for desktop sites', mac, 'MacIntel', 5, true],
		['a Mac', mac, 'MacIntel', 0, false],
		['an Android phone', android, 'Linux armv8l', 5, false]
	])('%s', (_, userAgent, platform, maxTouchPoints, expected) => {
		expect(isIos({ userAgent, platform, maxTouchPoints })).toBe(expected);
	});
});

describe('isIosOutsideApp', () => {
	it('is true for iOS outside the home screen app, where push does not exist', () => {
		const iphone = { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' };
		expect(isIosOutsideApp({ ...iphone, platform: 'iPhone', maxTouchPoints: 5 }, false)).toBe(true);
		expect(isIosOutsideApp({ ...iphone, platform: 'iPhone', maxTouchPoints: 5 }, true)).toBe(false);
		expect(
			isIosOutsideApp({ userAgent: 'Mac', platform: 'MacIntel', maxTouchPoints: 5 }, false)
		).toBe(true);
		expect(
			isIosOutsideApp({ userAgent: 'Android', platform: 'Linux', maxTouchPoints: 5 }, false)
		).toBe(false);
	});
});
