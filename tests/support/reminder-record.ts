import type { ReminderRecord } from '../../src/lib/domain/reminders';

/** A reminder as the phone's mirror holds it: the morning ice pack on the first day of recovery. */
export const iceReminder: ReminderRecord = {
	id: 'Qm9vdHN0cmFwUGF5bG9hZA',
	occurrenceId: 't1:ice-pack:2026-12-15:morning',
	taskId: 'ice-pack',
	treatmentId: 't1',
	at: Date.UTC(2026, 11, 15, 8),
	title: 'Cool the skin',
	body: 'Hold a cold pack wrapped in a clean cloth against the treated skin.'
};
