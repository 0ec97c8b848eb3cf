import { CPU_MODELS, TRAINER_MODELS, TRAINING_RECIPES, type TrainerModel, type TrainingRecipe } from '@lesionlab/contracts';

/** One choice of the launch form's preset picker: a recipe (named multi-stage preset) or a bare model preset. */
export interface PresetChoice {
  /** The picker's value: `recipe:<name>` or the model preset's name. */
  value: string;
  label: string;
  model: TrainerModel;
  recipe: TrainingRecipe | null;
  description: string;
  /** Small enough to train on a worker without a GPU. */
  cpu: boolean;
}

export const recipeValue = (name: string) => `recipe:${name}`;

/**
 * Every recipe and model preset the contracts list, recipes first, in their order: one added there
 * appears here without a web change. Model presets carry no description in the contracts, so theirs
 * says what the form's fields will set.
 */
export function presetChoices(): PresetChoice[] {
  const recipes = TRAINING_RECIPES.filter((recipe) => (TRAINER_MODELS as readonly string[]).includes(recipe.model)).map((recipe) => ({
    value: recipeValue(recipe.name),
    label: `${recipe.name} recipe v${recipe.version} (${recipe.stages.length} stage${recipe.stages.length > 1 ? 's' : ''})`,
    model: recipe.model as TrainerModel,
    recipe,
    description: recipe.description,
    cpu: CPU_MODELS.includes(recipe.model as TrainerModel),
  }));
  const models = TRAINER_MODELS.map((name) => ({
    value: name,
    label: name,
    model: name,
    recipe: null,
    description: `The ${name} model, trained in one stage with the steps or epochs, batch size and image size set below.`,
    cpu: CPU_MODELS.includes(name),
  }));
  return [...recipes, ...models];
}
