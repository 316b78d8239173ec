import type { Setting } from './db';

/**
 * Whose each setting is, for every key the settings store holds; a new key does not compile until
 * it is listed here. The patient's settings go into a backup, are replaced by a restore and erased
 * with the patient's data. The others are not: the clinic's protocol is not the patient's, and
 * the push registration and the reminder-id secret belong to this phone and its browser. So does
 * the record of calendar files: it lists what this phone put in the calendar, which a restore does
 * not change, so it stays as it is; an older copy from a backup would make the phone forget events
 * it added since, which it then could never cancel. On a new phone the next file still updates
 * every event in place (UIDs do not depend on the phone, SEQUENCE keeps growing).
 */
const settingOwners = {
	preferences: 'patient',
	screening: 'patient',
	reached: 'patient',
	protocol: 'clinic',
	reminderSecret: 'phone',
	push: 'phone',
	calendarExport: 'phone'
} as const satisfies Record<Setting['key'], 'patient' | 'clinic' | 'phone'>;

/** The key of a setting that is the patient's. */
export type PatientSettingKey = {
	[Key in keyof typeof settingOwners]: (typeof settingOwners)[Key] extends 'patient' ? Key : never;
}[keyof typeof settingOwners];

/** A setting that is the patient's: in backups, restored, erased with their data. */
export type PatientSetting = Extract<Setting, { key: PatientSettingKey }>;

/** The keys of the patient's settings: the one list that backup, restore and erase go by. */
export const patientSettingKeys: readonly PatientSettingKey[] = (
	Object.keys(settingOwners) as (keyof typeof settingOwners)[]
).filter((key): key is PatientSettingKey => settingOwners[key] === 'patient');

/**
 * Whether a stored setting is the patient's.
 * @param setting a record of the settings store
 */
export function isPatientSetting(setting: Setting): setting is PatientSetting {
	return settingOwners[setting.key] === 'patient';
}
