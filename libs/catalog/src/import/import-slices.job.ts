import { Injectable } from '@nestjs/common';
import type { CatalogImportJobPayload, ImportCounts } from '@lesionlab/contracts';
import { OnJob, type JobContext } from '@lesionlab/platform';
import { ImportRunner } from './import.runner';

/** The `catalog.import` job: runs the import its payload names, reporting progress as it goes. */
@Injectable()
export class ImportSlicesJob {
  constructor(private readonly runner: ImportRunner) {}

  @OnJob({ name: 'catalog.import', queue: 'import', concurrency: 1 })
  async handle(payload: CatalogImportJobPayload, context: JobContext): Promise<ImportCounts> {
    return this.runner.run(payload.importId, (progress) => context.updateProgress(progress), context.signal);
  }
}
