import { createRunSchema, TRAINING_RECIPES } from '@lesionlab/contracts';
import { errorsOfProblem, formFieldPaths, requestOf, settingFields, validateRunForm, valuesOfConfig } from './run-form';

const RELEASE = '8b0f4a52-3c8e-4a8e-9f4e-1a2b3c4d5e6f';

describe('settingFields', () => {
  it('offers every allowlisted setting with the input its schema needs', () => {
    const fields = new Map(settingFields().map((f) => [f.path, f]));
    expect(fields.get('settings.lr')).toMatchObject({ kind: 'number', min: 0, max: 1 });
    expect(fields.get('settings.seed')).toMatchObject({ kind: 'integer', min: 0 });
    expect(fields.get('settings.precision')).toMatchObject({ kind: 'choice', options: ['bf16', 'fp32'] });
    expect(fields.get('settings.compile')).toMatchObject({ kind: 'boolean' });
    expect(fields.get('settings.sampling.pixel')).toMatchObject({ kind: 'number', max: 100 });
    expect(fields.has('settings.init_checkpoint')).toBe(false);
  });
});

describe('validateRunForm', () => {
  it('turns the inputs into the request the API takes, leaving empty fields to the defaults', () => {
    const result = validateRunForm({ releaseId: RELEASE, model: 'jcs-lite', steps: '4', epochs: '9', batchSize: '2', imageSize: '', gpus: '1', 'settings.lr': '0.001', 'settings.compile': 'false', 'settings.sampling.pixel': '1' }, 'steps');
    expect(result).toEqual({ request: createRunSchema.parse({ releaseId: RELEASE, model: 'jcs-lite', steps: 4, batchSize: 2, gpus: 1, settings: { lr: 0.001, compile: false, sampling: { pixel: 1 } } }) });
  });

  it('sends epochs, not steps, when the run is measured in epochs', () => {
    const { body } = requestOf({ releaseId: RELEASE, model: 'jcs', steps: '4', epochs: '2.5' }, 'epochs');
    expect(body).toMatchObject({ epochs: 2.5 });
    expect(body).not.toHaveProperty('steps');
  });

  it('names each bad field with the schema message, and text that is not a number', () => {
    const result = validateRunForm({ releaseId: RELEASE, model: 'jcs', steps: 'ten', batchSize: '0', imageSize: '48', 'settings.lr': '2', 'settings.sampling.pixel': '0' }, 'steps');
    if (!('errors' in result)) throw new Error('expected errors');
    expect(result.errors.steps).toBe('"ten" is not a number');
    expect(result.errors.batchSize).toMatch(/>=\s*1/);
    expect(result.errors.imageSize).toMatch(/multiple of 32/);
    expect(result.errors['settings.lr']).toMatch(/<=\s*1/);
    expect(result.errors['settings.sampling']).toBe('needs at least one positive ratio');
  });

  it('asks for a release', () => {
    const result = validateRunForm({ releaseId: '', model: 'jcs' }, 'steps');
    expect('errors' in result && result.errors.releaseId).toBeTruthy();
  });
});

describe('recipes', () => {
  const recipe = TRAINING_RECIPES.find((r) => r.stages.some((stage) => stage.data === 'pretrain'))!;

  it('sends the recipe and its pretraining release, not the sizes its stages set', () => {
    const values = { releaseId: RELEASE, model: recipe.model, recipe: recipe.name, pretrainReleaseId: RELEASE, steps: '5', batchSize: '2', imageSize: '64', gpus: '1' };
    expect(validateRunForm(values, 'steps')).toEqual({ request: createRunSchema.parse({ releaseId: RELEASE, model: recipe.model, recipe: recipe.name, pretrainReleaseId: RELEASE, gpus: 1 }) });
  });

  it('asks for the pretraining release a recipe that pretrains needs, on that field', () => {
    const result = validateRunForm({ releaseId: RELEASE, model: recipe.model, recipe: recipe.name }, 'steps');
    expect('errors' in result && result.errors.pretrainReleaseId).toMatch(/pretrains/);
  });

  it('re-runs a recipe run at the version it ran', () => {
    const config = createRunSchema.parse({ releaseId: RELEASE, model: recipe.model, recipe: recipe.name, recipeVersion: recipe.version, pretrainReleaseId: RELEASE });
    const { values, length } = valuesOfConfig(config);
    expect(validateRunForm(values, length)).toEqual({ request: config });
  });
});

describe('a model to start from (initModelId)', () => {
  const MODEL = '2c9d6e1f-7a4b-4c3d-8e5f-6a7b8c9d0e1f';
  const recipe = TRAINING_RECIPES[0];

  it('sends the chosen model with a plain run, and re-runs it from the same model', () => {
    const result = validateRunForm({ releaseId: RELEASE, model: 'medsam-lite', steps: '1', initModelId: MODEL }, 'steps');
    expect(result).toEqual({ request: createRunSchema.parse({ releaseId: RELEASE, model: 'medsam-lite', steps: 1, initModelId: MODEL }) });
    if (!('request' in result)) throw new Error('expected a request');
    expect(valuesOfConfig(result.request).values.initModelId).toBe(MODEL);
    expect(requestOf({ releaseId: RELEASE, model: 'medsam-lite', initModelId: '' }, 'steps').body).not.toHaveProperty('initModelId');
  });

  it('leaves it out of a recipe run (its stages set their own starting weights), which the schema refuses by name', () => {
    expect(requestOf({ releaseId: RELEASE, model: recipe.model, recipe: recipe.name, initModelId: MODEL }, 'steps').body).not.toHaveProperty('initModelId');
    const refused = createRunSchema.safeParse({ releaseId: RELEASE, model: recipe.model, recipe: recipe.name, initModelId: MODEL });
    expect(refused.error?.issues).toContainEqual(expect.objectContaining({ path: ['initModelId'], message: expect.stringMatching(/sets each stage's starting weights itself/) }));
  });

  it('shows the API\'s refusal of the model on its field', () => {
    const detail = `initModelId: model jcs-lite v1 (${MODEL}) is a jcs-lite model; a medsam-lite run can only start from a medsam-lite model`;
    expect(errorsOfProblem({ detail }, 'failed', formFieldPaths())).toEqual({ initModelId: detail.slice('initModelId: '.length) });
  });
});

describe('errorsOfProblem', () => {
  const fields = formFieldPaths();

  it('puts each `path: message` line of a 400 on its field', () => {
    const errors = errorsOfProblem({ detail: 'x', errors: ['batchSize: Too small: expected number to be >=1', 'settings.lr: Too big: expected number to be <=1'] }, 'failed', fields);
    expect(errors).toEqual({ batchSize: 'Too small: expected number to be >=1', 'settings.lr': 'Too big: expected number to be <=1' });
  });

  it('keeps lines without a known field, and refusals without lines, under the form with their cause', () => {
    expect(errorsOfProblem({ detail: 'd', errors: ['(body): Unrecognized key: "x"'] }, 'failed', fields)).toEqual({ '': '(body): Unrecognized key: "x"' });
    expect(errorsOfProblem({ detail: `Release ${RELEASE} is building: runs need a ready release` }, 'failed', fields)).toEqual({ '': `Release ${RELEASE} is building: runs need a ready release` });
    expect(errorsOfProblem(null, 'POST /api/runs failed with 502', fields)).toEqual({ '': 'POST /api/runs failed with 502' });
  });

  it('puts a domain refusal that names its field (`field: message` detail) on that field', () => {
    expect(errorsOfProblem({ detail: 'releaseId: No release 42' }, 'failed', fields)).toEqual({ releaseId: 'No release 42' });
  });
});

describe('valuesOfConfig', () => {
  it('fills the form from a run config, so a re-run sends the same settings', () => {
    const config = createRunSchema.parse({ releaseId: RELEASE, model: 'jcs-lite', steps: 3, batchSize: 2, imageSize: 64, settings: { lr: 0.01, sampling: { pixel: 2, negative: 1 }, precision: 'fp32' } });
    const { values, length } = valuesOfConfig(config);
    expect(length).toBe('steps');
    expect(values).toMatchObject({ steps: '3', batchSize: '2', imageSize: '64', gpus: '1', 'settings.lr': '0.01', 'settings.sampling.pixel': '2', 'settings.sampling.negative': '1', 'settings.precision': 'fp32' });
    expect(validateRunForm(values, length)).toEqual({ request: config });
  });
});
