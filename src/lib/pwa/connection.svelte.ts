/** Whether the phone has a connection, as the browser sees it, kept up to date. */
class Connection {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

	constructor() {
		if (typeof window !== 'undefined') {
			window.addEventListener('online', () => (this.online = true));
			window.addEventListener('offline', () => (this.online = false));
		}
	}
}

export const connection = new Connection();
