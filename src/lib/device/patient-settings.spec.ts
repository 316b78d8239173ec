import { describe, expect, it } from 'vitest';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { somePreferences } from '$lib/test-data/factories';
import { isPatientSetting, patientSettingKeys } from './patient-settings';

describe('patient settings', () => {
	it('are the reminder preferences, screening answers and reached occurrences', () => {
		expect([...patientSettingKeys].sort()).toEqual(['preferences', 'reached', 'screening']);
	});

	it('leave out the clinic’s protocol and what belongs to this phone', () => {
		expect(isPatientSetting({ key: 'preferences', value: somePreferences() })).toBe(true);
		expect(isPatientSetting({ key: 'protocol', value: defaultProtocol() })).toBe(false);
		expect(isPatientSetting({ key: 'push', value: { wanted: true, server: null } })).toBe(false);
		expect(isPatientSetting({ key: 'reminderSecret', value: new Uint8Array(32) })).toBe(false);
		expect(isPatientSetting({ key: 'calendarExport', value: { sequence: 1, events: [] } })).toBe(
			false
		);
	});
});
