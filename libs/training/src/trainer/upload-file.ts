import fs from 'node:fs';
import { putContentAddressed, type BlobRow, type ObjectStorage } from '@lesionlab/platform';

/** Streams a local file into content-addressed storage; null when it is already gone (a rotated checkpoint). */
export async function uploadFile(storage: ObjectStorage, file: string, mediaType: string): Promise<BlobRow | null> {
  const handle = await fs.promises.open(file, 'r').catch(() => null);
  if (!handle) return null;
  const stored = await putContentAddressed(storage, handle.createReadStream(), mediaType);
  return { sha256: stored.sha256, size: stored.size, mediaType, key: stored.key };
}
