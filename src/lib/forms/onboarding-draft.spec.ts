import { describe, expect, it } from 'vitest';
import {
	forgetOnboardingDraft,
	keepOnboardingDraft,
	readOnboardingDraft,
	type OnboardingDraft
} from './onboarding-draft';

/** An in-memory sessionStorage. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
	const items = new Map<string, string>();
	return {
		getItem: (key) => items.get(key) ?? null,
		setItem: (key, value) => void items.set(key, value),
		removeItem: (key) => void items.delete(key)
	};
}

const draft: OnboardingDraft = {
	treatment: {
		id: 't1',
		date: '2027-04-08',
		time: '10:30',
		timeZone: 'Europe/Berlin',
		areas: ['face'],
		type: 'standard',
		needleDepthMm: '1.5',
		seriesNumber: '1',
		seriesTotal: ''
	},
	clinicElsewhere: false,
	preferences: {
		timeZone: 'Europe/Berlin',
		morningTime: '07:30',
		eveningTime: '20:00',
		quietHoursOn: false,
		quietStart: '22:00',
		quietEnd: '07:00'
	},
	screening: { acne: 'yes', keloids: 'no' }
};

describe('the plan form’s answers across a reload', () => {
	it('are read back as kept, and forgotten once the plan is saved', () => {
		const storage = memoryStorage();
		expect(readOnboardingDraft(storage)).toBeNull();
		keepOnboardingDraft(storage, draft);
		expect(readOnboardingDraft(storage)).toEqual(draft);
		forgetOnboardingDraft(storage);
		expect(readOnboardingDraft(storage)).toBeNull();
	});

	it('start afresh from text that is not the form’s', () => {
		const storage = memoryStorage();
		for (const text of ['{', '[]', JSON.stringify({ ...draft, screening: { acne: 'maybe' } })]) {
			storage.setItem('aftercare.onboarding', text);
			expect(readOnboardingDraft(storage), text).toBeNull();
		}
	});

	it('start afresh, and the form works on, when storage is blocked', () => {
		const blocked = {
			getItem: () => {
				throw new DOMException('denied', 'SecurityError');
			},
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			},
			removeItem: () => {
				throw new DOMException('denied', 'SecurityError');
			}
		};
		expect(readOnboardingDraft(blocked)).toBeNull();
		expect(() => keepOnboardingDraft(blocked, draft)).not.toThrow();
		expect(() => forgetOnboardingDraft(blocked)).not.toThrow();
	});
});
