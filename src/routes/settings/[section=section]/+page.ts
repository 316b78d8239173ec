import type { Component } from 'svelte';
import type { PageLoad } from './$types';

/**
 * The sections of Settings, each its own page. One route rather than five: every route adds to
 * the route table that a new visitor's first page loads (five cost about 300 B gzip, over the
 * first-visit budget). Each section's code still loads only when it is opened. The matcher
 * (src/params/section.ts) lets only these names through: any other is not found.
 */
const sections = {
	reminders: () => import('$lib/components/settings/sections/RemindersSection.svelte'),
	answers: () => import('$lib/components/settings/sections/AnswersSection.svelte'),
	clinic: () => import('$lib/components/settings/sections/ClinicSection.svelte'),
	data: () => import('$lib/components/settings/sections/DataSection.svelte'),
	app: () => import('$lib/components/settings/sections/AppSection.svelte')
} satisfies Record<string, () => Promise<{ default: Component }>>;

export const load: PageLoad = async ({ params }) => ({
	Section: (await sections[params.section]()).default as Component
});
