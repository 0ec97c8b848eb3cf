import { findRecipe, type Run, type RunStage } from '@lesionlab/contracts';

export interface StageView extends RunStage {
  steps: number;
  /** The stage's first step on the run's step axis. */
  offset: number;
  /** Its trainings' steps: one, or one per member of a stage that averages several (each counts from 1 again). */
  segments: number[];
}

/** A recipe run's stages with their step counts (from the recipe version it ran) and where each starts; none for a plain run. */
export function stagesOf(run: Pick<Run, 'config'> & { stages?: RunStage[] }): StageView[] {
  const recipe = run.config.recipe === undefined ? undefined : findRecipe(run.config.recipe, run.config.recipeVersion);
  if (!recipe) return [];
  let offset = 0;
  return recipe.stages.map((stage, i) => {
    const observed = run.stages?.[i];
    const view = { name: stage.name, description: stage.description, state: observed?.state ?? 'pending', seconds: observed?.seconds ?? null, steps: stage.steps * stage.members, offset, segments: Array<number>(stage.members).fill(stage.steps) };
    offset += view.steps;
    return view;
  });
}

/**
 * Steps done over the whole run: a plain run's progress as it is; a recipe run's finished stages plus
 * the running stage's progress (the trainer counts each stage's steps from 1).
 */
export function overallSteps(run: Pick<Run, 'progress' | 'status'>, stages: readonly StageView[]): { done: number; total: number } | null {
  if (stages.length === 0) return run.progress ? { done: run.progress.step, total: run.progress.totalSteps } : null;
  const total = stages.reduce((sum, s) => sum + s.steps, 0);
  if (run.status === 'succeeded') return { done: total, total };
  const finished = stages.filter((s) => s.state === 'finished').reduce((sum, s) => sum + s.steps, 0);
  const running = stages.some((s) => s.state === 'running') ? (run.progress?.step ?? 0) : 0;
  return { done: Math.min(total, finished + running), total };
}
