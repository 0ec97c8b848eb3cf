import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CPU_MODELS, type TrainerModel } from '@lesionlab/contracts';
import { CONFIG, PermanentJobError, type Config } from '@lesionlab/platform';
import { detectGpus, GpuAllocator } from './gpu-allocator';
import { describePlacement, type Placement } from './trainer-command';
import { ReleaseCache } from './release-cache';

export interface HeldPlacement extends Placement {
  device: string;
  release(): void;
}

/**
 * What this worker machine offers the trainer: its Python, its release cache and work folders, and
 * its GPUs (found once with nvidia-smi, shared out among the jobs it runs at once).
 */
@Injectable()
export class TrainerRuntime {
  readonly python: string;
  readonly cache: ReleaseCache;
  private readonly workRoot: string;
  private allocator: Promise<GpuAllocator> | null = null;

  constructor(@Inject(CONFIG) config: Config) {
    this.python = path.resolve(config.TRAINER_PYTHON);
    const root = path.resolve(config.TRAINER_CACHE_DIR ?? path.join(config.LESIONLAB_HOME, 'trainer-cache'));
    this.cache = new ReleaseCache(root, config.TRAINER_CACHE_MAX_GB * 1024 ** 3);
    this.workRoot = path.join(root, 'work');
  }

  get host(): string {
    return `${os.hostname()}:${process.pid}`;
  }

  /**
   * GPUs for a job, waiting for them when other jobs hold them. A worker without GPUs runs the small
   * models on the CPU (and says so through `log`); it refuses the full-size ones.
   */
  async place(model: TrainerModel, gpus: number, log: (message: string) => Promise<void>): Promise<HeldPlacement> {
    this.allocator ??= detectGpus().then((devices) => new GpuAllocator(devices));
    const allocator = await this.allocator;
    if (allocator.devices.length === 0) {
      if (!CPU_MODELS.includes(model)) throw new PermanentJobError(`This worker has no GPU, and ${model} is too large for the CPU (the CPU runs ${CPU_MODELS.join(', ')})`);
      await log(`no GPU on this worker: running ${model} on the CPU`);
      return { gpus: [], device: 'cpu', release: () => undefined };
    }
    const held = await allocator.acquire(gpus);
    const placement = { gpus: held };
    await log(`running ${model} on ${describePlacement(placement)}`);
    return { ...placement, device: describePlacement(placement), release: () => allocator.release(held) };
  }

  /** A fresh folder of this process's own: another worker's leftovers (or a killed trainer's) never mix in. */
  async workDir(kind: string, id: string): Promise<string> {
    const folder = path.join(this.workRoot, `${kind}-${id}-${process.pid}-${randomBytes(3).toString('hex')}`);
    await fs.promises.mkdir(folder, { recursive: true });
    return folder;
  }
}
