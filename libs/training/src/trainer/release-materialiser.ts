import { Inject, Injectable } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import type { ReleaseManifestItem } from '@lesionlab/contracts';
import { blobKey, OBJECT_STORAGE, type ObjectStorage, readStream } from '@lesionlab/platform';
import { imagePath, serializeManifest } from '@lesionlab/releases';
import { DataSource } from 'typeorm';
import { toHounsfieldPng, type StoredValueScale } from './hounsfield-png';
import { ReleaseCache } from './release-cache';

export interface MaterialisedRelease {
  folder: string;
  manifest: string;
  items: ReleaseManifestItem[];
}

/** `sliceId → scale` of the 16-bit slices among the items (8-bit ones need no conversion). */
export type SixteenBitSlices = Map<string, StoredValueScale>;

/**
 * Writes manifest items into a folder the trainer reads: `manifest.jsonl` plus `images/` and
 * `masks/` links into the shared cache. 16-bit slices are converted to the trainer's HU + 32768 PNGs
 * (once per blob, kept in the cache), and their manifest lines name the converted file and its hash.
 */
@Injectable()
export class ReleaseMaterialiser {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async sixteenBitSlices(sliceIds: string[]): Promise<SixteenBitSlices> {
    const rows: Array<{ id: string; width: number; height: number; pixel_representation: number; rescale_slope: number; rescale_intercept: number }> = await this.dataSource.query(
      `SELECT id, width, height, pixel_representation, rescale_slope, rescale_intercept FROM slice_facts WHERE id = ANY($1::uuid[]) AND bit_depth = 16`,
      [sliceIds],
    );
    return new Map(
      rows.map((r) => [r.id, { width: r.width, height: r.height, pixelRepresentation: r.pixel_representation, rescaleSlope: r.rescale_slope, rescaleIntercept: r.rescale_intercept }]),
    );
  }

  async materialise(cache: ReleaseCache, items: ReleaseManifestItem[], folder: string): Promise<MaterialisedRelease> {
    const sixteenBit = await this.sixteenBitSlices(items.map((i) => i.slice_id));
    const fetch = (sha256: string) => cache.file(sha256, () => this.storage.get(blobKey(sha256)));
    const written: ReleaseManifestItem[] = [];
    for (const item of items) {
      const scale = sixteenBit.get(item.slice_id);
      let image = { path: item.image, sha256: item.image_sha256 };
      if (scale) {
        const converted = await cache.derived(item.image_sha256, 'hu16', async () => toHounsfieldPng(await readStream(await this.storage.get(blobKey(item.image_sha256))), scale));
        image = { path: imagePath(converted), sha256: converted };
      } else {
        await fetch(item.image_sha256);
      }
      await link(cache.blobPath(image.sha256), path.join(folder, image.path));
      if (item.mask && item.mask_sha256) await link(await fetch(item.mask_sha256), path.join(folder, item.mask));
      written.push({ ...item, image: image.path, image_sha256: image.sha256 });
    }
    const manifest = path.join(folder, 'manifest.jsonl');
    await fs.promises.writeFile(manifest, serializeManifest(written));
    return { folder, manifest, items: written };
  }
}

async function link(target: string, at: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(at), { recursive: true });
  await fs.promises.rm(at, { force: true });
  await fs.promises.symlink(target, at);
}
