import path from 'node:path';
import type { CreateRun } from '@lesionlab/contracts';
import type { TrainerInvocation } from './trainer-process';

/** Where a job runs: the GPUs it holds (indices for CUDA_VISIBLE_DEVICES), or none for the CPU. */
export interface Placement {
  gpus: string[];
}

export const describePlacement = (placement: Placement) => (placement.gpus.length ? `cuda:${placement.gpus.join(',')}` : 'cpu');

function base(python: string, placement: Placement, args: string[], nproc = 1): TrainerInvocation {
  const env: Record<string, string> = { CUDA_VISIBLE_DEVICES: placement.gpus.join(','), PYTHONUNBUFFERED: '1' };
  const device = placement.gpus.length ? 'cuda' : 'cpu';
  if (nproc > 1) {
    const torchrun = path.join(path.dirname(python), 'torchrun');
    return { command: torchrun, args: ['--standalone', `--nproc-per-node=${nproc}`, '-m', 'lesionlab_trainer', ...args, '--device', device], env };
  }
  return { command: python, args: ['-m', 'lesionlab_trainer', ...args, '--device', device], env };
}

export interface TrainCommandInput {
  python: string;
  placement: Placement;
  config: CreateRun;
  manifest: string;
  out: string;
  /** A restored checkpoint to continue from. */
  resume?: string;
  /** The local weights of the registered model the run starts from (its `initModelId`). */
  initCheckpoint?: string;
  /** Trainer defaults the worker adds under the run's own settings (e.g. checkpoint_every). */
  defaults?: Record<string, string | number | boolean>;
}

/** The trainer's defaults the worker changes: checkpoints often enough that a lost worker costs little. */
export const WORKER_TRAIN_DEFAULTS = { checkpoint_every: 100 };

/** `--set key=value` pairs: the worker's defaults, then the run's settings; fp32 on the CPU (faster there than bf16). */
function settingArgs(input: TrainCommandInput, extra: Record<string, unknown> = {}): string[] {
  const settings = { ...(input.placement.gpus.length ? {} : { precision: 'fp32' }), ...input.defaults, ...extra, ...input.config.settings };
  return Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`]);
}

const processes = (placement: Placement) => (placement.gpus.length > 1 ? placement.gpus.length : 1);

/**
 * `python -m lesionlab_trainer train …` for a run's config; several GPUs run it under torchrun, one
 * process per GPU. On the CPU the data cache is the run folder's, with bf16 off (fp32 is faster there).
 */
export function trainInvocation(input: TrainCommandInput): TrainerInvocation {
  const { config } = input;
  if ((config.initModelId === undefined) !== (input.initCheckpoint === undefined)) throw new Error('trainInvocation: a run starts from a local checkpoint exactly when it names initModelId');
  const args = ['train', '--manifest', input.manifest, '--out', input.out, '--model', config.model];
  if (config.steps !== undefined) args.push('--steps', String(config.steps));
  if (config.batchSize !== undefined) args.push('--batch-size', String(config.batchSize));
  if (config.imageSize !== undefined) args.push('--image-size', String(config.imageSize));
  args.push(...settingArgs(input, config.epochs !== undefined ? { epochs: config.epochs } : {}));
  if (input.initCheckpoint) args.push('--init-checkpoint', input.initCheckpoint);
  if (input.resume) args.push('--resume', input.resume);
  return base(input.python, input.placement, args, processes(input.placement));
}

/**
 * `python -m lesionlab_trainer recipe …` for a recipe run: the recipe at the run's version, the run's release
 * (and the pretraining release's manifest when the recipe pretrains), the run's settings in every stage.
 */
export function recipeInvocation(input: TrainCommandInput & { pretrainManifest?: string }): TrainerInvocation {
  const { config } = input;
  if (config.recipe === undefined || config.recipeVersion === undefined) throw new Error('recipeInvocation needs a run with a recipe and its version');
  const args = ['recipe', '--name', config.recipe, '--version', String(config.recipeVersion), '--manifest', input.manifest];
  if (input.pretrainManifest) args.push('--pretrain-manifest', input.pretrainManifest);
  args.push('--out', input.out, ...settingArgs(input));
  return base(input.python, input.placement, args, processes(input.placement));
}

export interface ModelCommandInput {
  python: string;
  placement: Placement;
  checkpoint: string;
  manifest: string;
  split: 'train' | 'val' | 'test';
  out: string;
}

const precision = (placement: Placement) => (placement.gpus.length ? 'bf16' : 'fp32');

/**
 * Slices per forward pass on a GPU. On one H100, `predict` with the left-right view ran 1.65x faster at 128 than at
 * the trainer's default 16 (apps/trainer/README.md). Grad-CAM backpropagates through each batch, so with it the
 * trainer keeps its default.
 */
const GPU_INFERENCE_BATCH = 128;
const batchArgs = (placement: Placement, gradcam = false) => (placement.gpus.length && !gradcam ? ['--batch-size', String(GPU_INFERENCE_BATCH)] : []);

export function evaluateInvocation(input: ModelCommandInput & { bootstrap: number }): TrainerInvocation {
  return base(input.python, input.placement, [
    'evaluate', '--checkpoint', input.checkpoint, '--manifest', input.manifest, '--split', input.split, '--out', input.out,
    '--precision', precision(input.placement), ...batchArgs(input.placement), '--bootstrap', String(input.bootstrap),
  ]);
}

export function predictInvocation(input: ModelCommandInput & { gradcam: boolean }): TrainerInvocation {
  return base(input.python, input.placement, [
    'predict', '--checkpoint', input.checkpoint, '--manifest', input.manifest, '--split', input.split, '--out', input.out,
    '--precision', precision(input.placement), ...batchArgs(input.placement, input.gradcam), ...(input.gradcam ? ['--gradcam'] : []),
  ]);
}
