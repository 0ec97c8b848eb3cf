import { createRunSchema, findRecipe } from '@lesionlab/contracts';
import { observeStage, runStages } from './run-stages';

const RELEASE = '00000000-0000-4000-8000-000000000001';

describe('runStages', () => {
  const recipe = findRecipe('jcs-lite')!;
  const config = createRunSchema.parse({ releaseId: RELEASE, model: 'jcs-lite', recipe: 'jcs-lite', recipeVersion: recipe.version, pretrainReleaseId: RELEASE });

  it("lists the recipe version's stages, pending until their events arrive", () => {
    expect(runStages(config, [])).toEqual(recipe.stages.map((stage) => ({ name: stage.name, description: stage.description, state: 'pending', seconds: null })));
  });

  it('marks a started stage running and a finished one finished with its seconds', () => {
    let observed = observeStage([], { index: 0, state: 'started', seconds: null });
    expect(runStages(config, observed).map((s) => s.state)).toEqual(['running', 'pending']);
    observed = observeStage(observed, { index: 1, state: 'started', seconds: null });
    observed = observeStage(observed, { index: 0, state: 'finished', seconds: 12.5 });
    expect(observed.map((s) => s.index)).toEqual([0, 1]);
    expect(runStages(config, observed).map((s) => [s.state, s.seconds])).toEqual([
      ['finished', 12.5],
      ['running', null],
    ]);
  });

  it('gives a plain run no stages', () => {
    expect(runStages(createRunSchema.parse({ releaseId: RELEASE, model: 'jcs-lite', steps: 2 }), [{ index: 0, state: 'started', seconds: null }])).toEqual([]);
  });
});
