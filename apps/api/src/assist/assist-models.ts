import fs from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { type AssistModel, DomainError, SHIPPED_ASSIST_MODEL } from '@lesionlab/contracts';
import { CONFIG, type Config } from '@lesionlab/platform';
import { ModelsService } from '@lesionlab/training';
import { LiteMedSamThread } from './litemedsam.thread';
import { MEDSAM_ARCHITECTURE, RegisteredExports, registeredName } from './registered-exports';

/** The folder `npm start` / `npm test` export the shipped weights into (infra/scripts/lib/assist-model.js). */
export const SHIPPED_FOLDER = 'litemedsam-shipped';

/** Folder names a model id may be (no path separators, no dots). */
const MODEL_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class AssistModelUnavailableError extends DomainError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

export class UnknownAssistModelError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

/**
 * Where each assist model's ONNX export lies, and the thread that runs them: the shipped weights in
 * SHIPPED_FOLDER, each fine-tuned model (python -m lesionlab_trainer.medsam.export --weights) in a folder
 * named by its id — a registered `medsam-lite` model's folder is made on its first use.
 */
@Injectable()
export class AssistModels implements OnModuleDestroy {
  readonly thread = new LiteMedSamThread();

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly registered: ModelsService,
    private readonly exports: RegisteredExports,
  ) {}

  /** The shipped model, the registered `medsam-lite` models (exported on first use) and other fine-tuned exports. */
  async list(): Promise<AssistModel[]> {
    const registered = (await this.registered.list()).filter((m) => m.architecture === MEDSAM_ARCHITECTURE);
    const folders = await fs.readdir(path.resolve(this.config.ASSIST_MODELS_DIR)).catch(() => [] as string[]);
    const exported = folders.filter((f) => f !== SHIPPED_FOLDER && MODEL_ID.test(f) && !registered.some((m) => m.id === f)).sort();
    const models: AssistModel[] = [];
    for (const id of [SHIPPED_ASSIST_MODEL, ...exported]) {
      const dir = await this.dir(id).catch(() => null);
      if (!dir) continue;
      const { info } = await this.thread.run<'info'>({ kind: 'info', modelDir: dir });
      models.push({ id, name: info.name, version: info.version });
    }
    const [shipped, ...others] = models;
    return [...(shipped ? [shipped] : []), ...registered.map((m) => ({ id: m.id, name: registeredName(m.name), version: `v${m.version}` })), ...others];
  }

  /** The export folder of a model; a folder counts once its model.json (written last) is there. */
  async dir(id: string): Promise<string> {
    if (!MODEL_ID.test(id)) throw new UnknownAssistModelError(`no assist model ${id}`);
    const dir = path.resolve(this.config.ASSIST_MODELS_DIR, id === SHIPPED_ASSIST_MODEL ? SHIPPED_FOLDER : id);
    let complete = await fs.access(path.join(dir, 'model.json')).then(() => true, () => false);
    if (!complete && UUID.test(id)) {
      const model = await this.registered.get(id).catch(() => null);
      if (model?.architecture === MEDSAM_ARCHITECTURE) {
        await this.exports.ensure(model, dir);
        complete = true;
      }
    }
    if (!complete && id === SHIPPED_ASSIST_MODEL) throw new AssistModelUnavailableError(`LiteMedSAM is not exported in ${dir} (npm start and npm test export it at install)`);
    if (!complete) throw new UnknownAssistModelError(`no assist model ${id} (GET /api/assist/models lists them)`);
    return dir;
  }

  onModuleDestroy(): Promise<void> {
    return this.thread.stop();
  }
}
