import { mount, unmount } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import SymptomScaleHarness from './SymptomScale.harness.svelte';

let mounted: Record<string, unknown> | undefined;

afterEach(async () => {
	if (mounted) {
		await unmount(mounted);
		mounted = undefined;
	}
});

const redness = () => page.getByRole('group', { name: 'Redness' });

describe('SymptomScale', () => {
	it('is a group named after the symptom, one radio per level, showing the level held', async () => {
		mounted = mount(SymptomScaleHarness, { target: document.body, props: { onChange: vi.fn() } });
		const levels = redness().getByRole('radio');
		await expect
			.poll(() =>
				levels
					.elements()
					.map((radio) => (radio as HTMLInputElement).labels?.[0]?.textContent?.trim())
			)
			.toEqual(['None', 'Mild', 'Moderate', 'Severe']);
		await expect.element(redness().getByRole('radio', { name: 'None' })).toBeChecked();
		await expect
			.element(
				page.getByRole('group', { name: 'Swelling' }).getByRole('radio', { name: 'Moderate' })
			)
			.toBeChecked();
	});

	it('reports the level chosen by its place on the scale, and keeps each symptom apart', async () => {
		const onChange = vi.fn();
		mounted = mount(SymptomScaleHarness, { target: document.body, props: { onChange } });
		await redness().getByText('Severe').click();
		expect(onChange).toHaveBeenLastCalledWith(3);
		await expect.element(page.getByText('Redness level: 3')).toBeVisible();
		await expect.element(redness().getByRole('radio', { name: 'Severe' })).toBeChecked();
		// Another symptom's choice is not touched: the radios are grouped by name.
		await expect
			.element(
				page.getByRole('group', { name: 'Swelling' }).getByRole('radio', { name: 'Moderate' })
			)
			.toBeChecked();
	});

	it('moves along the scale with the arrow keys', async () => {
		const onChange = vi.fn();
		mounted = mount(SymptomScaleHarness, { target: document.body, props: { onChange } });
		await redness().getByRole('radio', { name: 'None' }).click();
		await userEvent.keyboard('{ArrowRight}');
		expect(onChange).toHaveBeenLastCalledWith(1);
		await expect.element(redness().getByRole('radio', { name: 'Mild' })).toHaveFocus();
		await expect
			.element(
				page.getByRole('group', { name: 'Swelling' }).getByRole('radio', { name: 'Moderate' })
			)
			.toBeChecked();
	});
});
