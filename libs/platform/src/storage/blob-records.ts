import type { EntityManager } from 'typeorm';
import { putContentAddressed } from './content-addressed';
import type { ObjectStorage } from './object-storage';

/** A row of the `blobs` table: what the database knows of one stored content. */
export interface BlobRow {
  sha256: string;
  size: number;
  mediaType: string;
  key: string;
}

/** Writes bytes under their hash (once) and returns the row that records them. Blob first, row after. */
export async function storeBlob(storage: ObjectStorage, bytes: Buffer, mediaType: string): Promise<BlobRow> {
  const stored = await putContentAddressed(storage, bytes, mediaType);
  return { sha256: stored.sha256, size: stored.size, mediaType, key: stored.key };
}

/** Records written blobs: one multi-row INSERT, existing rows left alone. */
export async function insertBlobRows(manager: Pick<EntityManager, 'query'>, blobs: BlobRow[]): Promise<void> {
  const unique = [...new Map(blobs.map((b) => [b.sha256, b])).values()];
  if (!unique.length) return;
  const values: unknown[] = [];
  const rows = unique.map((b) => `($${values.push(b.sha256)}, $${values.push(b.size)}, $${values.push(b.mediaType)}, $${values.push(b.key)})`);
  await manager.query(`INSERT INTO blobs (sha256, size, media_type, storage_key) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`, values);
}
