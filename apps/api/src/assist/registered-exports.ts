import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { Inject, Injectable } from '@nestjs/common';
import type { Model } from '@lesionlab/contracts';
import { blobKey, CONFIG, OBJECT_STORAGE, type Config, type ObjectStorage } from '@lesionlab/platform';

const run = promisify(execFile);
/** The run preset whose registered models are LiteMedSAM fine-tunes. */
export const MEDSAM_ARCHITECTURE = 'medsam-lite';

/** How a registered fine-tune is named in the picker and in its export's model.json. */
export function registeredName(name: string): string {
  return `${name} (fine-tuned)`;
}

/**
 * A registered `medsam-lite` model made runnable for assist: its weights fetched from storage and exported
 * to ONNX the same way as the shipped ones (python -m lesionlab_trainer.medsam.export), once, into
 * ASSIST_MODELS_DIR/<model id>/ (model.json is written last, so a complete folder is never redone).
 */
@Injectable()
export class RegisteredExports {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  ensure(model: Model, dir: string): Promise<void> {
    let export_ = this.running.get(model.id);
    if (!export_) {
      export_ = this.export(model, dir).finally(() => this.running.delete(model.id));
      this.running.set(model.id, export_);
    }
    return export_;
  }

  private async export(model: Model, dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
    const weights = path.join(dir, 'model.pt');
    await pipeline(await this.storage.get(blobKey(model.sha256)), (await fs.open(weights, 'w')).createWriteStream());
    const python = path.resolve(this.config.TRAINER_PYTHON);
    const args = ['-W', 'ignore', '-m', 'lesionlab_trainer.medsam.export', '--weights', weights, '--out', dir, '--name', registeredName(model.name), '--version', `v${model.version}`];
    // No secrets in the child's environment: it reads one local file and writes a folder.
    await run(python, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, maxBuffer: 1 << 20 });
  }
}
