import { findRecipe, type CreateRun, type RunStage } from '@lesionlab/contracts';

/** What the trainer's stage events reported of one stage (stored in runs.stages). */
export interface ObservedStage {
  index: number;
  state: 'started' | 'finished';
  seconds: number | null;
}

/**
 * A recipe run's stages in order: the recipe version's definitions, each `pending` until its `started` event,
 * `running` until its `finished` one. A plain run has none.
 */
export function runStages(config: CreateRun, observed: ObservedStage[]): RunStage[] {
  const recipe = config.recipe === undefined ? undefined : findRecipe(config.recipe, config.recipeVersion);
  if (!recipe) return [];
  return recipe.stages.map((stage, index) => {
    const seen = observed.find((entry) => entry.index === index);
    const state = seen?.state === 'finished' ? 'finished' : seen ? 'running' : 'pending';
    return { name: stage.name, description: stage.description, state, seconds: seen?.seconds ?? null };
  });
}

/** The stored list after one stage event: a stage's later event replaces its earlier one. */
export function observeStage(observed: ObservedStage[], event: ObservedStage): ObservedStage[] {
  return [...observed.filter((entry) => entry.index !== event.index), event].sort((a, b) => a.index - b.index);
}
