// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		interface PageState {
			/** The onboarding form's step, in history so the browser's back button goes a step back. */
			onboardingStep?: number;
		}
		// interface Platform {}
	}
}

export {};
