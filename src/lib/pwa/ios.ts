/** What iOS detection reads from the browser's `navigator`. */
export type NavigatorLike = Pick<Navigator, 'userAgent' | 'platform' | 'maxTouchPoints'>;

/**
 * Whether the phone is an iPhone, iPad or iPod. There, browsers have no install dialog (the app goes
 * on the home screen through Share → Add to Home Screen), and push exists only for an app started
 * from the home screen. The one place the app tells iOS apart.
 * @param navigator the browser's navigator
 */
export function isIos(navigator: NavigatorLike): boolean {
	// iPadOS asks for desktop sites by default and then says it is a Mac; only its touch screen
	// tells it apart.
	return (
		/iPhone|iPad|iPod/.test(navigator.userAgent) ||
		(navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1)
	);
}

/**
 * Safari on iPhone or iPad outside the installed (home screen) app, where push does not exist.
 * @param navigator the browser's navigator
 * @param standalone whether the app runs from the home screen
 */
export function isIosOutsideApp(navigator: NavigatorLike, standalone: boolean): boolean {
	return isIos(navigator) && !standalone;
}
