import { mount, unmount, type ComponentProps } from 'svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { language } from '$lib/i18n/language.svelte';
import { defaultProtocol } from '$lib/domain/default-protocol';
import { buildPlan } from '$lib/domain/schedule';
import { aTreatment, somePreferences } from '$lib/test-data/factories';
import TaskCardHarness from './TaskCard.harness.svelte';

const protocol = defaultProtocol();
const plan = buildPlan(protocol, [aTreatment()], somePreferences());
const definitions = new Map(protocol.tasks.map((task) => [task.id, task]));
/** A care step at a time of day, with a tick box. */
const care = plan.find((task) => task.kind === 'care' && !task.allDay && !task.window)!;
const careDefinition = definitions.get(care.taskId)!;
/** Its own words on the card (the same words are quoted again, folded, under its source). */
const careText = page.getByRole('paragraph').filter({ hasText: careDefinition.text });
const info = plan.find((task) => task.kind === 'info')!;
const infoDefinition = definitions.get(info.taskId)!;

let mounted: Record<string, unknown> | undefined;

function render(props: ComponentProps<typeof TaskCardHarness>) {
	mounted = mount(TaskCardHarness, { target: document.body, props });
}

afterEach(async () => {
	if (mounted) {
		await unmount(mounted);
		mounted = undefined;
	}
});

describe('TaskCard', () => {
	it('names its tick box after the task', async () => {
		render({ task: care, definition: careDefinition, onToggle: () => undefined });
		// Found by its accessible name as the browser computes it, whitespace normalised.
		const box = page.getByRole('checkbox', { name: `Done: ${careDefinition.title}`, exact: true });
		await expect.element(box).toBeVisible();
		await expect.element(box).not.toBeChecked();
		await expect
			.element(page.getByRole('heading', { level: 3 }))
			.toHaveTextContent(careDefinition.title);
	});

	it('ticks off and back on through the handler, and reads as checked when done', async () => {
		const onToggle = vi.fn();
		render({ task: care, definition: careDefinition, onToggle });
		const box = page.getByRole('checkbox', { name: `Done: ${careDefinition.title}` });

		// Tapping the title ticks too: the label is the task's own words.
		await page.getByRole('heading', { level: 3 }).getByText(careDefinition.title).click();
		expect(onToggle).toHaveBeenLastCalledWith(true);
		await expect.element(box).toBeChecked();

		await box.click();
		expect(onToggle).toHaveBeenLastCalledWith(false);
		await expect.element(box).not.toBeChecked();
		expect(onToggle).toHaveBeenCalledTimes(2);
	});

	it('folds a done task to a line that says how to see it again', async () => {
		render({
			task: care,
			definition: careDefinition,
			onToggle: () => undefined,
			foldWhenDone: true
		});
		await expect.element(careText).toBeVisible();

		await page.getByRole('checkbox').click();
		await expect.element(page.getByText('Done. Untick it to see it again.')).toBeVisible();
		await expect.element(careText).not.toBeInTheDocument();
		await expect.element(page.getByText('Where this comes from')).not.toBeInTheDocument();
		await expect.element(page.getByRole('checkbox')).toBeChecked();
	});

	it('has no tick box when read-only, nor for information', async () => {
		render({ task: care, definition: careDefinition });
		await expect.element(page.getByRole('heading', { name: careDefinition.title })).toBeVisible();
		await expect.element(page.getByRole('checkbox')).not.toBeInTheDocument();
		await unmount(mounted!);

		render({ task: info, definition: infoDefinition, onToggle: () => undefined });
		await expect.element(page.getByRole('heading', { name: infoDefinition.title })).toBeVisible();
		await expect.element(page.getByRole('checkbox')).not.toBeInTheDocument();
	});

	it('names its source disclosure after the task', async () => {
		render({ task: care, definition: careDefinition, onToggle: () => undefined });
		// Every card has one: its name says which task's source it opens.
		const summary = page.getByText(`Where this comes from: ${careDefinition.title}`, {
			exact: true
		});
		await expect.element(page.getByText('From the patient guide:')).not.toBeVisible();
		await summary.click();
		await expect.element(page.getByText('From the patient guide:')).toBeVisible();
	});

	it('compact (Today): a row to tick, its words and source one tap away under Details', async () => {
		const onToggle = vi.fn();
		render({ task: care, definition: careDefinition, onToggle, compact: true });
		const box = page.getByRole('checkbox', { name: `Done: ${careDefinition.title}`, exact: true });
		await expect.element(box).toBeVisible();
		// Folded: in the page, but neither seen nor read out.
		// (The words are quoted again under their source: the first is the task's own.)
		const words = page.getByText(careDefinition.text).first();
		await expect.element(words).not.toBeVisible();
		await expect.element(page.getByText('Where this comes from')).not.toBeInTheDocument();

		// One disclosure, named after the task, holds both.
		await page.getByText(`Details: ${careDefinition.title}`, { exact: true }).click();
		await expect.element(words).toBeVisible();
		await expect.element(page.getByText('From the patient guide:')).toBeVisible();

		// A large target: the title's row is at least 2.75rem high (44 px at the default size).
		const label = document.querySelector('article label')!;
		expect(label.getBoundingClientRect().height).toBeGreaterThanOrEqual(44);
		await box.click();
		expect(onToggle).toHaveBeenLastCalledWith(true);
	});

	it('re-words at once in German, the protocol’s own words as they are', async () => {
		render({ task: care, definition: careDefinition, onToggle: () => undefined, compact: true });
		language.choose('de');
		try {
			await expect
				.element(
					page.getByRole('checkbox', { name: `Erledigt: ${careDefinition.title}`, exact: true })
				)
				.toBeVisible();
			await page.getByText(`Details: ${careDefinition.title}`, { exact: true }).click();
			await expect.element(page.getByText('Aus „patient guide“:')).toBeVisible();
		} finally {
			language.choose(null);
		}
	});
});
