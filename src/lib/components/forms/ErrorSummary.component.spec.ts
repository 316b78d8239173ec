import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { language } from '$lib/i18n/language.svelte';
import ErrorSummaryHarness from './ErrorSummary.harness.svelte';

let mounted: Record<string, unknown> | undefined;

afterEach(async () => {
	language.choose(null);
	if (mounted) {
		await unmount(mounted);
		mounted = undefined;
	}
});

const summary = () => page.getByRole('region', { name: /^Please check/ });
const save = () => page.getByRole('button', { name: 'Save' });

describe('ErrorSummary', () => {
	it('is absent until a submit fails', async () => {
		mounted = mount(ErrorSummaryHarness, { target: document.body });
		await expect.element(page.getByRole('textbox', { name: 'Treatment date' })).toBeVisible();
		await expect.element(summary()).not.toBeInTheDocument();
	});

	it('takes focus on a failed submit and lists each error as a link to its field', async () => {
		mounted = mount(ErrorSummaryHarness, { target: document.body });
		await save().click();

		await expect.element(summary()).toHaveFocus();
		await expect.element(summary()).toHaveAccessibleName('Please check these:');
		const links = summary().getByRole('link');
		await expect
			.poll(() => links.elements().map((link) => link.textContent))
			.toEqual(['Enter the treatment date', 'Enter the appointment time']);
		await expect
			.element(summary().getByRole('link', { name: 'Enter the treatment date' }))
			.toHaveAttribute('href', '#f-date');
		await expect
			.element(summary().getByRole('link', { name: 'Enter the appointment time' }))
			.toHaveAttribute('href', '#f-time');
	});

	it('takes focus again on the next failed submit, with the errors left', async () => {
		mounted = mount(ErrorSummaryHarness, { target: document.body });
		await save().click();
		await expect.element(summary()).toHaveFocus();

		await userEvent.fill(page.getByRole('textbox', { name: 'Treatment date' }), '2027-04-08');
		await save().click();
		await expect.element(summary()).toHaveFocus();
		await expect.element(summary()).toHaveAccessibleName('Please check this:');
		await expect.poll(() => summary().getByRole('link').elements().length).toBe(1);
		await expect
			.element(summary().getByRole('link', { name: 'Enter the appointment time' }))
			.toBeVisible();
	});

	it('follows a link to the field it names', async () => {
		mounted = mount(ErrorSummaryHarness, { target: document.body });
		await save().click();
		await summary().getByRole('link', { name: 'Enter the appointment time' }).click();
		await expect.element(page.getByRole('textbox', { name: 'Appointment time' })).toHaveFocus();
	});

	it('goes away once the form is fixed', async () => {
		mounted = mount(ErrorSummaryHarness, { target: document.body });
		await save().click();
		await userEvent.fill(page.getByRole('textbox', { name: 'Treatment date' }), '2027-04-08');
		await userEvent.fill(page.getByRole('textbox', { name: 'Appointment time' }), '10:30');
		await save().click();
		await expect.element(page.getByText('Saved')).toBeVisible();
		await expect.element(summary()).not.toBeInTheDocument();
	});

	it('re-words on a language switch, without taking the focus again', async () => {
		mounted = mount(ErrorSummaryHarness, { target: document.body });
		await save().click();
		await expect.element(summary()).toHaveFocus();
		const date = page.getByRole('textbox', { name: 'Treatment date' });
		await date.click();

		language.choose('de');
		await expect
			.element(page.getByRole('region', { name: 'Bitte prüfen Sie Folgendes:' }))
			.toBeVisible();
		await expect.element(date).toHaveFocus();
	});
});
