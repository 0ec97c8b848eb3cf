import { Inject, Injectable } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { blobKey, OBJECT_STORAGE, type ObjectStorage } from '@lesionlab/platform';
import type { Model } from '@lesionlab/contracts';
import { TrainerRuntime } from '../trainer/trainer-runtime';

/** The local copy of a registered model's weights (through the release cache) in a job's folder. */
@Injectable()
export class ModelJobInputs {
  constructor(
    private readonly runtime: TrainerRuntime,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async weights(model: Model, folder: string): Promise<string> {
    const cached = await this.runtime.cache.file(model.sha256, () => this.storage.get(blobKey(model.sha256)));
    const target = path.join(folder, 'model.pt');
    await fs.promises.symlink(cached, target);
    return target;
  }
}
