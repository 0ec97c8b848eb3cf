import { createRunSchema, pinRecipeVersion } from '@lesionlab/contracts';
import { recipeInvocation, WORKER_TRAIN_DEFAULTS } from './trainer-command';

const PYTHON = '/opt/trainer/bin/python';
const RELEASE = '00000000-0000-4000-8000-000000000001';
const recipeRun = (settings = {}) => pinRecipeVersion(createRunSchema.parse({ releaseId: RELEASE, model: 'jcs', recipe: 'jcs', pretrainReleaseId: RELEASE, settings }));

describe('recipeInvocation', () => {
  it("runs the recipe at the run's pinned version on both manifests, the worker's defaults and the run's settings in every stage", () => {
    const config = recipeRun({ compile: true });
    const invocation = recipeInvocation({ python: PYTHON, placement: { gpus: ['0'] }, config, manifest: '/w/data/manifest.jsonl', pretrainManifest: '/w/pretrain-data/manifest.jsonl', out: '/w/out', defaults: WORKER_TRAIN_DEFAULTS });
    expect(invocation).toEqual({
      command: PYTHON,
      args: [
        '-m', 'lesionlab_trainer', 'recipe', '--name', 'jcs', '--version', String(config.recipeVersion), '--manifest', '/w/data/manifest.jsonl',
        '--pretrain-manifest', '/w/pretrain-data/manifest.jsonl', '--out', '/w/out', '--set', 'checkpoint_every=100', '--set', 'compile=true', '--device', 'cuda',
      ],
      env: { CUDA_VISIBLE_DEVICES: '0', PYTHONUNBUFFERED: '1' },
    });
  });

  it('runs under torchrun on several GPUs and in fp32 on the CPU', () => {
    const input = { python: PYTHON, config: recipeRun(), manifest: '/m', pretrainManifest: '/p', out: '/o' };
    expect(recipeInvocation({ ...input, placement: { gpus: ['0', '1'] } }).args.slice(0, 4)).toEqual(['--standalone', '--nproc-per-node=2', '-m', 'lesionlab_trainer']);
    expect(recipeInvocation({ ...input, placement: { gpus: [] } }).args).toEqual(expect.arrayContaining(['precision=fp32', 'cpu']));
  });

  it('refuses a run without a pinned recipe', () => {
    const plain = createRunSchema.parse({ releaseId: RELEASE, model: 'jcs', steps: 3 });
    expect(() => recipeInvocation({ python: PYTHON, placement: { gpus: [] }, config: plain, manifest: '/m', out: '/o' })).toThrow(/recipe/);
  });
});
