import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { pipeline, Transform } from 'node:stream';
import { DomainError, EXPORT_FORMATS, type ExportedFile, type ExportFormat, type ReleaseManifestItem } from '@lesionlab/contracts';
import { decodeCocoRle, maskArea } from '@lesionlab/mask';
import { blobKey, OBJECT_STORAGE, readStream, type ObjectStorage } from '@lesionlab/platform';
import { DataSource } from 'typeorm';
import { parseManifest } from './release-manifest';
import { tarGz, type TarEntry } from './tar-writer';

export { EXPORT_FORMATS, type ExportedFile, type ExportFormat };

interface ExportFile {
  path: string;
  content: () => Promise<Buffer>;
}

export class ReleaseNotReadyError extends DomainError {
  constructor(id: string, status: string) {
    super('conflict', `Release ${id} is ${status}: exports and manifests exist once it is ready`);
  }
}

/** COVID-CS style stem: `<patient>_<slice index, 4 digits>`; a slice of an unknown patient goes by its id. */
function stemOf(item: ReleaseManifestItem, patientNames: Map<string, string>): string {
  if (!item.patient_id) return item.slice_id;
  const name = (patientNames.get(item.patient_id) ?? item.patient_id).replace(/[^A-Za-z0-9._-]/g, '_');
  return `${name}_${String(item.slice_index ?? 0).padStart(4, '0')}`;
}

/**
 * Each item's file stem, unique within the export: stems that several slices share (patient names that
 * differ only in replaced characters, slices of two series with one index) all get the slice id appended,
 * whatever the order of the items.
 */
function uniqueStems(items: ReleaseManifestItem[], patientNames: Map<string, string>): Map<ReleaseManifestItem, string> {
  const stems = new Map(items.map((item) => [item, stemOf(item, patientNames)]));
  const uses = new Map<string, number>();
  for (const stem of stems.values()) uses.set(stem, (uses.get(stem) ?? 0) + 1);
  for (const [item, stem] of stems) if (uses.get(stem)! > 1) stems.set(item, `${stem}_${item.slice_id}`);
  return stems;
}

/**
 * One CSV cell (RFC 4180 quoting). A cell that a spreadsheet would read as a formula (leading =, +, -,
 * @, tab or carriage return) is prefixed with a single quote, so opening the export runs nothing.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function boundingBox(counts: string, width: number, height: number): [number, number, number, number] {
  const mask = decodeCocoRle({ size: [height, width], counts });
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask.data[y * width + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? [0, 0, 0, 0] : [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

/**
 * Exports a ready release: COCO JSON with RLE segmentations (one file per split), PNG images and masks
 * with train/val/test lists in the layout the JCS reference code reads, or a patient-label CSV. The
 * files go to object storage under exports/<release>/<format>/, with files.json listing each file's
 * sha256, and as one .tar.gz archive.
 */
@Injectable()
export class ReleaseExporter {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async export(releaseId: string, format: ExportFormat): Promise<{ files: ExportedFile[]; archiveKey: string; archiveSha256: string }> {
    const [release] = await this.dataSource.query('SELECT name, version, status, digest, manifest_blob FROM releases WHERE id = $1', [releaseId]);
    if (!release || release.status !== 'ready') throw new ReleaseNotReadyError(releaseId, release?.status ?? 'missing');
    const items = parseManifest(await readStream(await this.storage.get(blobKey(release.manifest_blob.trim()))));
    const patientNames = new Map<string, string>(
      (await this.dataSource.query('SELECT DISTINCT p.id, p.external_id FROM release_items i JOIN patient_facts p ON p.id = i.patient_id WHERE i.release_id = $1', [releaseId])).map(
        (r: { id: string; external_id: string }) => [r.id, r.external_id],
      ),
    );
    const files = format === 'coco' ? await this.cocoFiles(releaseId, release, items) : format === 'png' ? this.pngFiles(items, patientNames) : this.csvFiles(items, patientNames);

    const prefix = `exports/${releaseId}/${format}`;
    const listed: ExportedFile[] = [];
    const entries: TarEntry[] = [];
    for (const file of files) {
      entries.push({
        path: file.path,
        content: async () => {
          const content = await file.content();
          listed.push({ path: file.path, sha256: createHash('sha256').update(content).digest('hex'), size: content.length });
          await this.storage.put(`${prefix}/${file.path}`, content);
          return content;
        },
      });
    }
    entries.push({
      path: 'files.json',
      content: async () => {
        const index = Buffer.from(`${JSON.stringify({ release: `${release.name} v${release.version}`, digest: release.digest.trim(), files: listed }, null, 1)}\n`);
        await this.storage.put(`${prefix}/files.json`, index, { contentType: 'application/json' });
        return index;
      },
    });
    const archiveKey = `exports/${releaseId}/${format}.tar.gz`;
    const archiveHash = createHash('sha256');
    const hashed = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        archiveHash.update(chunk);
        done(null, chunk);
      },
    });
    // pipeline destroys `hashed` with the archive's error, so a failed entry fails the upload
    pipeline(tarGz(entries), hashed, () => undefined);
    await this.storage.put(archiveKey, hashed, { contentType: 'application/gzip' });
    return { files: listed, archiveKey, archiveSha256: archiveHash.digest('hex') };
  }

  private async cocoFiles(releaseId: string, release: { name: string; version: number; digest: string }, items: ReleaseManifestItem[]): Promise<ExportFile[]> {
    const revisionIds = items.map((i) => i.mask_revision_id).filter((id): id is string => id !== null);
    const masks = new Map<string, { rle_counts: string }>(
      (await this.dataSource.query('SELECT id, rle_counts FROM mask_revision_rles WHERE id = ANY($1::uuid[])', [revisionIds])).map((r: { id: string; rle_counts: string }) => [r.id, r]),
    );
    return (['train', 'val', 'test'] as const).map((split) => ({
      path: `annotations/${split}.json`,
      content: async () => {
        const inSplit = items.filter((i) => i.split === split);
        const images = inSplit.map((item, index) => ({ id: index + 1, file_name: item.image, width: item.width, height: item.height, slice_id: item.slice_id, patient_id: item.patient_id, label: item.label }));
        const annotations = inSplit.flatMap((item, index) => {
          if (!item.mask_revision_id) return [];
          const counts = masks.get(item.mask_revision_id)!.rle_counts;
          const area = maskArea(decodeCocoRle({ size: [item.height, item.width], counts }));
          return [{ id: index + 1, image_id: index + 1, category_id: 1, segmentation: { size: [item.height, item.width], counts }, area, bbox: boundingBox(counts, item.width, item.height), iscrowd: 0, revision_id: item.mask_revision_id }];
        });
        const coco = {
          info: { description: `${release.name} v${release.version} (${split})`, version: String(release.version), release_id: releaseId, digest: release.digest.trim() },
          images,
          annotations,
          categories: [{ id: 1, name: 'opacification', supercategory: 'lesion' }],
        };
        return Buffer.from(JSON.stringify(coco));
      },
    }));
  }

  private pngFiles(items: ReleaseManifestItem[], patientNames: Map<string, string>): ExportFile[] {
    const files: ExportFile[] = [];
    const lists: Record<string, string[]> = { train: [], val: [], test: [] };
    const masked = items.filter((i) => i.mask);
    const stems = uniqueStems(masked, patientNames);
    for (const item of masked) {
      const stem = stems.get(item)!;
      lists[item.split].push(stem);
      files.push({ path: `Imgs/${stem}.png`, content: async () => readStream(await this.storage.get(blobKey(item.image_sha256))) });
      files.push({ path: `GT/${stem}.png`, content: async () => readStream(await this.storage.get(blobKey(item.mask_sha256!))) });
    }
    for (const split of ['train', 'val', 'test']) files.push({ path: `${split}.txt`, content: async () => Buffer.from(lists[split].map((s) => `${s}\n`).join('')) });
    return files;
  }

  private csvFiles(items: ReleaseManifestItem[], patientNames: Map<string, string>): ExportFile[] {
    const patients = new Map<string, { label: string; split: string; slices: number }>();
    for (const item of items) {
      const key = item.patient_id ?? item.slice_id;
      const entry = patients.get(key) ?? { label: item.label, split: item.split, slices: 0 };
      entry.slices++;
      patients.set(key, entry);
    }
    const rows = [...patients].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, p]) => [patientNames.get(id) ?? id, p.label, p.split, p.slices].map(csvCell).join(','));
    return [{ path: 'patient-labels.csv', content: async () => Buffer.from(`patient_id,label,split,slices\n${rows.join('\n')}\n`) }];
  }
}
