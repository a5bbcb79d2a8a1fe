// The names and UI-facing figures of training, in one leaf module: the core's config (config.ts), the API
// contract, the CLI and the training panel all read them from here.

/** The model presets by name; their network and recipe values are in config.ts. */
export const PRESET_NAMES = ['fast', 'full', 'tiny'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** How the UI names each preset. */
export const PRESET_LABELS: Readonly<Record<PresetName, string>> = {
  fast: 'fast (CPU)', full: 'full (Buda 2019)', tiny: 'tiny (smoke test)',
};

/**
 * A model trained from scratch unless the user says otherwise: `brainseg train --from-scratch`, Model ▸ Train from
 * Scratch and the training panel's fields all start from these.
 */
export const FROM_SCRATCH_DEFAULTS: Readonly<{ preset: PresetName; epochs: number }> = { preset: 'fast', epochs: 20 };

/** The default time budget of a retrain on edits (minutes): the menu, Ctrl+R and the training panel. */
export const RETRAIN_BUDGET_MINUTES = 2;

/**
 * Steps per epoch of a time-budgeted retrain: large enough that the budget, not the step count, ends the run.
 * Progress with this many steps has no meaningful "of N".
 */
export const BUDGETED_STEPS_PER_EPOCH = 100_000;
