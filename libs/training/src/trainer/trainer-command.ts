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
  /** Trainer defaults the worker adds under the run's own settings (e.g. checkpoint_every). */
  defaults?: Record<string, string | number | boolean>;
}

/**
 * `python -m lesionlab_trainer train …` for a run's config; several GPUs run it under torchrun, one
 * process per GPU. On the CPU the data cache is the run folder's, with bf16 off (fp32 is faster there).
 */
export function trainInvocation(input: TrainCommandInput): TrainerInvocation {
  const { config } = input;
  const settings = { ...(input.placement.gpus.length ? {} : { precision: 'fp32' }), ...input.defaults, ...(config.epochs !== undefined && { epochs: config.epochs }), ...config.settings };
  const args = ['train', '--manifest', input.manifest, '--out', input.out, '--model', config.model];
  if (config.steps !== undefined) args.push('--steps', String(config.steps));
  if (config.batchSize !== undefined) args.push('--batch-size', String(config.batchSize));
  if (config.imageSize !== undefined) args.push('--image-size', String(config.imageSize));
  for (const [key, value] of Object.entries(settings)) args.push('--set', `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  if (input.resume) args.push('--resume', input.resume);
  return base(input.python, input.placement, args, input.placement.gpus.length > 1 ? input.placement.gpus.length : 1);
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

export function evaluateInvocation(input: ModelCommandInput & { bootstrap: number }): TrainerInvocation {
  return base(input.python, input.placement, [
    'evaluate', '--checkpoint', input.checkpoint, '--manifest', input.manifest, '--split', input.split, '--out', input.out,
    '--precision', precision(input.placement), '--bootstrap', String(input.bootstrap),
  ]);
}

export function predictInvocation(input: ModelCommandInput & { gradcam: boolean }): TrainerInvocation {
  return base(input.python, input.placement, [
    'predict', '--checkpoint', input.checkpoint, '--manifest', input.manifest, '--split', input.split, '--out', input.out,
    '--precision', precision(input.placement), ...(input.gradcam ? ['--gradcam'] : []),
  ]);
}
