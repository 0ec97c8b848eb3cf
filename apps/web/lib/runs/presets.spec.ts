import { CPU_MODELS, TRAINER_MODELS, TRAINING_RECIPES } from '@lesionlab/contracts';
import { presetChoices, recipeValue } from './presets';

describe('presetChoices', () => {
  it('lists every recipe (first) and every model preset of the contracts, each with a description', () => {
    const choices = presetChoices();
    expect(choices.map((c) => c.value)).toEqual([...TRAINING_RECIPES.map((r) => recipeValue(r.name)), ...TRAINER_MODELS]);
    for (const choice of choices) expect(choice.description.length).toBeGreaterThan(10);
  });

  it('gives a recipe its contract description, stages and model, and says which run on a CPU', () => {
    const lite = presetChoices().find((c) => c.value === recipeValue('jcs-lite'))!;
    const contract = TRAINING_RECIPES.find((r) => r.name === 'jcs-lite')!;
    expect(lite).toMatchObject({ model: contract.model, description: contract.description, cpu: CPU_MODELS.includes(lite.model) });
    expect(lite.recipe!.stages.length).toBe(contract.stages.length);
    expect(presetChoices().find((c) => c.value === 'jcs')!.cpu).toBe(false);
  });
});
