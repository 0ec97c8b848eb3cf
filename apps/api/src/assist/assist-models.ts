import fs from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { SHIPPED_ASSIST_MODEL, type AssistModel } from '@lesionlab/contracts';
import { CONFIG, type Config } from '@lesionlab/platform';
import { LiteMedSamThread } from './litemedsam.thread';

/** The folder `npm start` / `npm test` export the shipped weights into (infra/scripts/lib/assist-model.js). */
export const SHIPPED_FOLDER = 'litemedsam-shipped';

export class AssistModelUnavailableError extends Error {
  override name = 'AssistModelUnavailableError';
}

/** Where each assist model's ONNX export lies, and the thread that runs them. */
@Injectable()
export class AssistModels implements OnModuleDestroy {
  readonly thread = new LiteMedSamThread();

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  async list(): Promise<AssistModel[]> {
    const dir = await this.dir(SHIPPED_ASSIST_MODEL).catch(() => null);
    if (!dir) return [];
    const { info } = await this.thread.run<'info'>({ kind: 'info', modelDir: dir });
    return [{ id: SHIPPED_ASSIST_MODEL, name: info.name, version: info.version }];
  }

  /** The export folder of a model; a folder counts once its model.json (written last) is there. */
  async dir(id: string): Promise<string> {
    if (id !== SHIPPED_ASSIST_MODEL) throw new AssistModelUnavailableError(`no assist model ${id}`);
    const dir = path.resolve(this.config.ASSIST_MODELS_DIR, SHIPPED_FOLDER);
    const complete = await fs.access(path.join(dir, 'model.json')).then(() => true, () => false);
    if (!complete) throw new AssistModelUnavailableError(`LiteMedSAM is not exported in ${dir} (npm start and npm test export it at install)`);
    return dir;
  }

  onModuleDestroy(): Promise<void> {
    return this.thread.stop();
  }
}
