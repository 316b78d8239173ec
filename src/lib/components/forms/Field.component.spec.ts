import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import FieldHarness from './Field.harness.svelte';

let mounted: Record<string, unknown> | undefined;

function render(props: { hint?: string; required?: boolean } = {}) {
	mounted = mount(FieldHarness, { target: document.body, props });
	return page.getByRole('textbox');
}

afterEach(async () => {
	if (mounted) {
		await unmount(mounted);
		mounted = undefined;
	}
});

describe('Field', () => {
	it('names its control with its label, so tapping the label reaches it', async () => {
		const control = render();
		await expect
			.element(page.getByLabelText('Treatment date'))
			.toHaveAttribute('id', 'treatment-date');
		await expect.element(control).toHaveAccessibleName('Treatment date');
		await page.getByText('Treatment date').click();
		await expect.element(control).toHaveFocus();
	});

	it('has no description and is not invalid while there is neither hint nor error', async () => {
		const control = render();
		await expect.element(control).not.toHaveAttribute('aria-describedby');
		await expect.element(control).toHaveAttribute('aria-invalid', 'false');
		await expect.element(control).not.toBeRequired();
	});

	it('reads its hint as the description of the control', async () => {
		const control = render({ hint: 'The day of your appointment' });
		await expect.element(control).toHaveAccessibleDescription('The day of your appointment');
		await expect.element(control).toHaveAttribute('aria-invalid', 'false');
	});

	it('adds the error after the hint, marks the control invalid, and drops both once fixed', async () => {
		const control = render({ hint: 'The day of your appointment', required: true });
		await expect.element(control).toBeRequired();

		await page.getByRole('button', { name: 'Check' }).click();
		await expect
			.element(control)
			.toHaveAccessibleDescription('The day of your appointment Enter the date of your treatment');
		await expect.element(control).toHaveAttribute('aria-invalid', 'true');

		await userEvent.fill(control, '2027-04-08');
		await page.getByRole('button', { name: 'Check' }).click();
		await expect.element(control).toHaveAccessibleDescription('The day of your appointment');
		await expect.element(control).toHaveAttribute('aria-invalid', 'false');
		await expect
			.element(page.getByText('Enter the date of your treatment'))
			.not.toBeInTheDocument();
	});
});
