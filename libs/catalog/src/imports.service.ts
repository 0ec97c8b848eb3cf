import { Injectable } from '@nestjs/common';
import type { ImportFailure, ImportRun, StartImport } from '@lesionlab/contracts';
import { JobQueue } from '@lesionlab/platform';
import { ImportsRepository, toImportRun } from './imports.repository';
import { SourceOpener } from './import/source-opener';

/** Starts imports: checks the source can be opened (so a bad path is a 4xx now, not a failed job later), records and enqueues. */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly sources: SourceOpener,
    private readonly queue: JobQueue,
  ) {}

  /** `refused`: uploaded files the API did not store (their reasons), recorded as the import's first failures. */
  async start(request: StartImport, refused: ImportFailure[] = []): Promise<ImportRun> {
    await this.sources.open(request.source);
    const row = await this.imports.create(request.format, this.sources.describe(request.source), { source: request.source, ...request.options, ...(refused.length ? { refused } : {}) });
    const job = await this.queue.enqueue('catalog.import', { importId: row.id }, { jobId: `import-${row.id}`, attempts: 2 });
    await this.imports.setJob(row.id, job.id);
    return toImportRun((await this.imports.get(row.id))!);
  }
}
