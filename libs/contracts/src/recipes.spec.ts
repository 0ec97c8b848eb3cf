import { createRunSchema, findRecipe, pinRecipeVersion, TRAINING_RECIPES, TRAINING_RECIPE_VERSIONS } from './training';

const RELEASE = '00000000-0000-4000-8000-000000000001';
const messages = (body: object) => {
  const result = createRunSchema.safeParse({ releaseId: RELEASE, ...body });
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('training recipes', () => {
  it('lists the newest version of each recipe, jcs first, each with its stages and inference settings', () => {
    expect(TRAINING_RECIPES[0].name).toBe('jcs');
    expect(new Set(TRAINING_RECIPES.map((r) => r.name)).size).toBe(TRAINING_RECIPES.length);
    const jcs = findRecipe('jcs')!;
    expect(jcs.version).toBe(Math.max(...TRAINING_RECIPE_VERSIONS.filter((r) => r.name === 'jcs').map((r) => r.version)));
    expect(jcs.stages.map((s) => [s.name, s.data, s.model])).toEqual([
      ['pretrain', 'pretrain', undefined],
      ['finetune', 'main', undefined],
    ]);
    expect(findRecipe('jcs', 1)!.inference).toEqual({ tta: [], threshold: 0.5 });
  });

  it("lists jcs-medsam: jcs v2's stages, then a medsam-lite refiner stage its inference redraws the lesions with", () => {
    const refined = findRecipe('jcs-medsam')!;
    expect(refined.stages.map((s) => [s.name, s.model])).toEqual([
      ['pretrain', undefined],
      ['finetune', undefined],
      ['refiner', 'medsam-lite'],
    ]);
    expect(refined.stages.slice(0, 2)).toEqual(findRecipe('jcs', 2)!.stages);
    expect(refined.version).toBe(2);
    expect(refined.inference).toEqual({ tta: ['hflip'], threshold: 0.5, refine: { margin: 0, weight: 0.5, precision: 'bf16' } });
    expect(findRecipe('jcs-medsam', 1)!.inference).toEqual({ tta: ['hflip'], threshold: 0.5, refine: { margin: 0, weight: 0.5 } });
  });

  it('accepts a recipe run with its pretraining release, and pins the newest version', () => {
    expect(messages({ recipe: 'jcs', pretrainReleaseId: RELEASE })).toEqual([]);
    const pinned = pinRecipeVersion(createRunSchema.parse({ releaseId: RELEASE, recipe: 'jcs', pretrainReleaseId: RELEASE }));
    expect(pinned.recipeVersion).toBe(findRecipe('jcs')!.version);
  });

  it("takes the recipe's model when the request names none, and jcs without a recipe", () => {
    expect(createRunSchema.parse({ releaseId: RELEASE, recipe: 'jcs-lite', pretrainReleaseId: RELEASE }).model).toBe('jcs-lite');
    expect(createRunSchema.parse({ releaseId: RELEASE }).model).toBe('jcs');
    expect(createRunSchema.parse({ releaseId: RELEASE, model: 'medsam-lite' }).model).toBe('medsam-lite');
  });

  it.each([
    [{ recipe: 'nope' }, /recipe: is not a recipe \(recipes: jcs, jcs-lite/],
    [{ recipe: 'jcs' }, /pretrainReleaseId: recipe jcs pretrains/],
    [{ recipe: 'jcs', recipeVersion: 99, pretrainReleaseId: RELEASE }, /recipeVersion: recipe jcs has no version 99/],
    [{ recipe: 'jcs-lite', model: 'jcs', pretrainReleaseId: RELEASE }, /model: recipe jcs-lite trains jcs-lite/],
    [{ recipe: 'jcs', pretrainReleaseId: RELEASE, steps: 10 }, /steps: recipe jcs sets steps per stage/],
    [{ pretrainReleaseId: RELEASE }, /pretrainReleaseId: pretrainReleaseId needs a recipe/],
    [{ recipeVersion: 1 }, /recipeVersion: recipeVersion needs a recipe/],
  ])('refuses %j, naming the field', (body, message) => {
    expect(messages(body).join('\n')).toMatch(message);
  });
});
