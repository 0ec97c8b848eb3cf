import type { CreateRun } from '@lesionlab/contracts';
import { evaluateInvocation, predictInvocation, trainInvocation } from './trainer-command';

const PYTHON = '/opt/trainer/bin/python';
const TORCHRUN = '/opt/trainer/bin/torchrun';
const run = (config: Partial<CreateRun>): CreateRun => ({ releaseId: '00000000-0000-4000-8000-000000000001', model: 'jcs', gpus: 1, settings: {}, ...config }) as CreateRun;
const train = (config: Partial<CreateRun>, gpus: string[], extra: { resume?: string; initCheckpoint?: string; defaults?: Record<string, number> } = {}) =>
  trainInvocation({ python: PYTHON, placement: { gpus }, config: run(config), manifest: '/w/data/manifest.jsonl', out: '/w/out', ...extra });

describe('trainInvocation', () => {
  it.each([
    {
      name: 'one GPU: python -m, bf16 left to the trainer',
      invocation: train({ model: 'jcs', steps: 200 }, ['1']),
      command: PYTHON,
      args: ['-m', 'lesionlab_trainer', 'train', '--manifest', '/w/data/manifest.jsonl', '--out', '/w/out', '--model', 'jcs', '--steps', '200', '--device', 'cuda'],
      visible: '1',
    },
    {
      name: 'the CPU: fp32, no visible GPU',
      invocation: train({ model: 'jcs-lite', batchSize: 4, imageSize: 256 }, []),
      command: PYTHON,
      args: ['-m', 'lesionlab_trainer', 'train', '--manifest', '/w/data/manifest.jsonl', '--out', '/w/out', '--model', 'jcs-lite', '--batch-size', '4', '--image-size', '256', '--set', 'precision=fp32', '--device', 'cpu'],
      visible: '',
    },
    {
      name: 'two GPUs: torchrun with one process per GPU',
      invocation: train({ model: 'jcs' }, ['0', '1']),
      command: TORCHRUN,
      args: ['--standalone', '--nproc-per-node=2', '-m', 'lesionlab_trainer', 'train', '--manifest', '/w/data/manifest.jsonl', '--out', '/w/out', '--model', 'jcs', '--device', 'cuda'],
      visible: '0,1',
    },
    {
      name: "the worker's defaults, then epochs, then the run's settings (the run's win), then the checkpoint to resume",
      invocation: train({ model: 'jcs', epochs: 3, settings: { lr: 0.001, checkpoint_every: 50 } as CreateRun['settings'] }, ['0'], { resume: '/w/out/checkpoints/step-00000100.pt', defaults: { checkpoint_every: 100 } }),
      command: PYTHON,
      args: [
        '-m', 'lesionlab_trainer', 'train', '--manifest', '/w/data/manifest.jsonl', '--out', '/w/out', '--model', 'jcs',
        '--set', 'checkpoint_every=50', '--set', 'epochs=3', '--set', 'lr=0.001', '--resume', '/w/out/checkpoints/step-00000100.pt', '--device', 'cuda',
      ],
      visible: '0',
    },
  ])('$name', ({ invocation, command, args, visible }) => {
    expect(invocation).toEqual({ command, args, env: { CUDA_VISIBLE_DEVICES: visible, PYTHONUNBUFFERED: '1' } });
  });

  it('starts from a registered model\'s weights only when the run names one (initModelId)', () => {
    const from = train({ model: 'medsam-lite', steps: 1, initModelId: '00000000-0000-4000-8000-000000000002' }, [], { initCheckpoint: '/w/init-model/model.pt' });
    expect(from.args).toEqual([
      '-m', 'lesionlab_trainer', 'train', '--manifest', '/w/data/manifest.jsonl', '--out', '/w/out', '--model', 'medsam-lite', '--steps', '1',
      '--set', 'precision=fp32', '--init-checkpoint', '/w/init-model/model.pt', '--device', 'cpu',
    ]);
    expect(train({ model: 'medsam-lite', steps: 1 }, []).args).not.toContain('--init-checkpoint');
    expect(() => train({ model: 'medsam-lite', initModelId: '00000000-0000-4000-8000-000000000002' }, [])).toThrow(/exactly when it names initModelId/);
    expect(() => train({ model: 'medsam-lite' }, [], { initCheckpoint: '/w/init-model/model.pt' })).toThrow(/exactly when it names initModelId/);
    // a resumed run still names its starting weights; the trainer's checkpoint then replaces them
    expect(train({ model: 'jcs', initModelId: '00000000-0000-4000-8000-000000000002' }, ['0'], { initCheckpoint: '/w/init-model/model.pt', resume: '/w/out/checkpoints/step-00000100.pt' }).args.slice(-6)).toEqual(['--init-checkpoint', '/w/init-model/model.pt', '--resume', '/w/out/checkpoints/step-00000100.pt', '--device', 'cuda']);
  });
});

describe('evaluateInvocation and predictInvocation', () => {
  const model = { python: PYTHON, checkpoint: '/w/model.pt', manifest: '/w/data/manifest.jsonl', split: 'test' as const, out: '/w/out' };
  it.each([
    {
      name: 'evaluate on a GPU in bf16, 128 slices a batch, with bootstrap rounds',
      invocation: evaluateInvocation({ ...model, placement: { gpus: ['2'] }, bootstrap: 500 }),
      args: ['evaluate', '--checkpoint', '/w/model.pt', '--manifest', '/w/data/manifest.jsonl', '--split', 'test', '--out', '/w/out', '--precision', 'bf16', '--batch-size', '128', '--bootstrap', '500', '--device', 'cuda'],
    },
    {
      name: "evaluate on the CPU at the trainer's default batch",
      invocation: evaluateInvocation({ ...model, placement: { gpus: [] }, bootstrap: 500 }),
      args: ['evaluate', '--checkpoint', '/w/model.pt', '--manifest', '/w/data/manifest.jsonl', '--split', 'test', '--out', '/w/out', '--precision', 'fp32', '--bootstrap', '500', '--device', 'cpu'],
    },
    {
      name: 'predict on the CPU in fp32 with Grad-CAM maps',
      invocation: predictInvocation({ ...model, placement: { gpus: [] }, gradcam: true }),
      args: ['predict', '--checkpoint', '/w/model.pt', '--manifest', '/w/data/manifest.jsonl', '--split', 'test', '--out', '/w/out', '--precision', 'fp32', '--gradcam', '--device', 'cpu'],
    },
    {
      name: 'predict on a GPU without Grad-CAM, 128 slices a batch',
      invocation: predictInvocation({ ...model, placement: { gpus: ['0'] }, gradcam: false }),
      args: ['predict', '--checkpoint', '/w/model.pt', '--manifest', '/w/data/manifest.jsonl', '--split', 'test', '--out', '/w/out', '--precision', 'bf16', '--batch-size', '128', '--device', 'cuda'],
    },
    {
      name: "predict on a GPU with Grad-CAM at the trainer's default batch (its backward pass holds the batch)",
      invocation: predictInvocation({ ...model, placement: { gpus: ['0'] }, gradcam: true }),
      args: ['predict', '--checkpoint', '/w/model.pt', '--manifest', '/w/data/manifest.jsonl', '--split', 'test', '--out', '/w/out', '--precision', 'bf16', '--gradcam', '--device', 'cuda'],
    },
  ])('$name: always one process, never torchrun', ({ invocation, args }) => {
    expect(invocation.command).toBe(PYTHON);
    expect(invocation.args).toEqual(['-m', 'lesionlab_trainer', ...args]);
  });
});
