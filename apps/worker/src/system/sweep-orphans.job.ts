import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SweepOrphansJobPayload } from '@lesionlab/contracts';
import { OBJECT_STORAGE, OnJob, type JobContext, type ObjectInfo, type ObjectStorage } from '@lesionlab/platform';

export interface SweepOrphansResult {
  /** Objects under blobs/ looked at. */
  scanned: number;
  /** Objects no `blobs` row records, older than the grace period: deleted. */
  deleted: number;
  /** Objects no row records yet, younger than the grace period: kept (a write may be about to commit its row). */
  keptYoung: number;
}

const PAGE = 500;

/**
 * `storage.sweep-orphans`: deletes the objects a crash left behind. Writers put a blob first and
 * record its row after (see storeBlob), so an object without a row is either an orphan or a write
 * whose transaction has not committed yet; the grace period tells them apart. Rows are never
 * deleted here: every reference to a blob is a foreign key, and a row without references costs one
 * line while deleting it races writers that reuse it (INSERT … ON CONFLICT DO NOTHING takes no lock).
 */
@Injectable()
export class SweepOrphansJob {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @OnJob({ name: 'storage.sweep-orphans', queue: 'system', concurrency: 1 })
  async handle(payload: SweepOrphansJobPayload, context: JobContext): Promise<SweepOrphansResult> {
    const cutoff = Date.now() - payload.graceSeconds * 1000;
    const result: SweepOrphansResult = { scanned: 0, deleted: 0, keptYoung: 0 };
    let page: ObjectInfo[] = [];
    const sweep = async () => {
      const recorded: Array<{ storage_key: string }> = await this.dataSource.query('SELECT storage_key FROM blobs WHERE storage_key = ANY($1)', [page.map((o) => o.key)]);
      const known = new Set(recorded.map((r) => r.storage_key));
      for (const object of page) {
        if (known.has(object.key)) continue;
        // An object of unknown age is treated as young: deleting it could lose a write.
        if (!object.lastModified || object.lastModified.getTime() > cutoff) result.keptYoung++;
        else {
          await this.storage.delete(object.key);
          result.deleted++;
        }
      }
      result.scanned += page.length;
      page = [];
      await context.updateProgress({ ...result });
    };
    for await (const object of this.storage.list('blobs/')) {
      if (context.signal.aborted) break;
      page.push(object);
      if (page.length === PAGE) await sweep();
    }
    if (page.length) await sweep();
    return result;
  }
}
