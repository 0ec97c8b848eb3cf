import { z } from 'zod';
import recipesDocument from '../recipes/training-recipes.json';

/** Where a recipe stage's slices come from: the run's release, or the run's pretraining release. */
export const RECIPE_DATA_ROLES = ['main', 'pretrain'] as const;
export type RecipeDataRole = (typeof RECIPE_DATA_ROLES)[number];

const recipeStageSchema = z.object({
  name: z.string().min(1),
  description: z.string(),
  data: z.enum(RECIPE_DATA_ROLES),
  init: z.literal('previous').optional(),
  steps: z.int().min(1),
  batch_size: z.int().min(1),
  /** More than one: that many trainings (seeds seed, seed+1, …) whose weights are averaged into one model. */
  members: z.int().min(1).default(1),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** 'medsam-lite': a refiner stage (the last), whose medsam-lite redraws the lesions the recipe's model finds. */
  model: z.literal('medsam-lite').optional(),
});

const recipeSchema = z.object({
  name: z.string().min(1),
  version: z.int().min(1),
  model: z.string().min(1),
  image_size: z.int().min(32),
  description: z.string(),
  stages: z.array(recipeStageSchema).min(1),
  inference: z
    .object({ tta: z.array(z.string()), threshold: z.number(), refine: z.object({ margin: z.int().min(0), weight: z.number(), precision: z.enum(['fp32', 'bf16']).optional() }).optional() })
    .default({ tta: [], threshold: 0.5 }),
});

/** A recipe as the API and the web launch form present it. */
export interface TrainingRecipe {
  name: string;
  version: number;
  model: string;
  imageSize: number;
  description: string;
  /** `model`: the network a stage trains when it is not the recipe's (a medsam-lite refiner). */
  stages: Array<{ name: string; description: string; data: RecipeDataRole; fromPrevious: boolean; steps: number; batchSize: number; members: number; model?: string }>;
  /**
   * Test-time views averaged with the plain slice, the mask threshold, and (with a refiner stage) how medsam-lite
   * redraws each lesion found: its box widened by `margin` px, the refiner's map weighted by `weight` inside it,
   * medsam-lite run in `precision` (fp32 when absent).
   */
  inference: { tta: string[]; threshold: number; refine?: { margin: number; weight: number; precision?: 'fp32' | 'bf16' } };
}

/**
 * Every recipe version, from libs/contracts/recipes/training-recipes.json, the file the trainer reads too
 * (apps/trainer: lesionlab_trainer/recipes.py). A recipe is changed only by adding a version; a run names a
 * recipe and gets its newest version unless it names one.
 */
export const TRAINING_RECIPE_VERSIONS: readonly TrainingRecipe[] = z
  .object({ recipes: z.array(recipeSchema) })
  .parse(recipesDocument)
  .recipes.map((recipe) => ({
    name: recipe.name,
    version: recipe.version,
    model: recipe.model,
    imageSize: recipe.image_size,
    description: recipe.description,
    stages: recipe.stages.map((stage) => ({
      name: stage.name,
      description: stage.description,
      data: stage.data,
      fromPrevious: stage.init === 'previous',
      steps: stage.steps,
      batchSize: stage.batch_size,
      members: stage.members,
      ...(stage.model && { model: stage.model }),
    })),
    inference: recipe.inference,
  }));

/** The newest version of each recipe, in file order: what the launch form lists. */
export const TRAINING_RECIPES: readonly TrainingRecipe[] = TRAINING_RECIPE_VERSIONS.filter(
  (recipe) => !TRAINING_RECIPE_VERSIONS.some((other) => other.name === recipe.name && other.version > recipe.version),
);

export const RECIPE_NAMES: readonly string[] = [...new Set(TRAINING_RECIPE_VERSIONS.map((recipe) => recipe.name))];

/** A recipe by name, at `version` or its newest; undefined when there is none. */
export function findRecipe(name: string, version?: number): TrainingRecipe | undefined {
  return version === undefined ? TRAINING_RECIPES.find((recipe) => recipe.name === name) : TRAINING_RECIPE_VERSIONS.find((recipe) => recipe.name === name && recipe.version === version);
}

/** Whether a recipe trains a stage on the pretraining release (so a run of it needs `pretrainReleaseId`). */
export const needsPretrainRelease = (recipe: TrainingRecipe) => recipe.stages.some((stage) => stage.data === 'pretrain');
