import { createRunSchema, TRAINING_RECIPES, type Run } from '@lesionlab/contracts';
import { overallSteps, stagesOf } from './recipe-progress';

const RELEASE = '8b0f4a52-3c8e-4a8e-9f4e-1a2b3c4d5e6f';
const recipe = TRAINING_RECIPES.find((r) => r.stages.length > 1)!;
const stepsOf = (stage: (typeof recipe.stages)[number]) => stage.steps * stage.members;
const config = createRunSchema.parse({ releaseId: RELEASE, model: recipe.model, recipe: recipe.name, recipeVersion: recipe.version, ...(recipe.stages.some((s) => s.data === 'pretrain') ? { pretrainReleaseId: RELEASE } : {}) });
const progress = (step: number, totalSteps: number): Run['progress'] => ({ step, totalSteps, epoch: 0, imagesPerS: 1, etaS: 1, loss: 1 });

describe('recipe progress', () => {
  it('gives each stage its steps and where it starts on the run axis', () => {
    const stages = stagesOf({ config, stages: [{ name: recipe.stages[0].name, description: '', state: 'finished', seconds: 3 }] });
    expect(stages.map((s) => [s.name, s.state, s.steps, s.offset, s.segments])).toEqual(
      recipe.stages.map((s, i) => [s.name, i === 0 ? 'finished' : 'pending', stepsOf(s), recipe.stages.slice(0, i).reduce((sum, x) => sum + stepsOf(x), 0), Array(s.members).fill(s.steps)]),
    );
  });

  it('counts finished stages and the running stage’s steps over the whole run', () => {
    const [first, second] = recipe.stages;
    const stages = stagesOf({ config, stages: [{ name: first.name, description: '', state: 'finished', seconds: 3 }, { name: second.name, description: '', state: 'running', seconds: null }] });
    const total = recipe.stages.reduce((sum, s) => sum + stepsOf(s), 0);
    expect(overallSteps({ status: 'running', progress: progress(1, second.steps) }, stages)).toEqual({ done: stepsOf(first) + 1, total });
    expect(overallSteps({ status: 'succeeded', progress: progress(second.steps, second.steps) }, stages)).toEqual({ done: total, total });
  });

  it('leaves a plain run as its progress says', () => {
    expect(stagesOf({ config: createRunSchema.parse({ releaseId: RELEASE }) })).toEqual([]);
    expect(overallSteps({ status: 'running', progress: progress(3, 10) }, [])).toEqual({ done: 3, total: 10 });
    expect(overallSteps({ status: 'queued', progress: null }, [])).toBeNull();
  });
});
