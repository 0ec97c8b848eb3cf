import { Inject, Injectable } from '@nestjs/common';
import type { CreateRelease, ReleaseManifestItem, ReleaseSummary } from '@lesionlab/contracts';
import { insertBlobRows, OBJECT_STORAGE, PermanentJobError, storeBlob, type BlobRow, type ObjectStorage } from '@lesionlab/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { renderMaskPng } from './mask-png';
import { planRelease } from './plan-release';
import { candidateQuery, releaseSupervision, toCandidate, type CandidateRow, type ReleaseCandidate } from './release-candidates';
import { withReleaseLabels } from './release-labels';
import { imagePath, manifestDigest, maskPath, serializeManifest } from './release-manifest';
import { assertManifestMatchesSchema } from './release-manifest-schema';
import { summarizeRelease } from './release-summary';
import { DomainError } from '@lesionlab/contracts';

const ITEM_BATCH = 5000;
const RENDER_CONCURRENCY = 4;

export interface BuildProgress {
  phase: 'selecting' | 'assigning' | 'rendering-masks' | 'writing';
  done?: number;
  total?: number;
}

export interface BuiltRelease {
  digest: string;
  summary: ReleaseSummary;
}

export class ReleaseNotFoundError extends DomainError {
  constructor(id: string) {
    super('not-found', `No release ${id}`);
  }
}

/**
 * Builds a release: selects slices with the revisions its label policy picks, assigns whole patients
 * to splits, renders each used mask to a PNG blob, writes the manifest and summary to object storage,
 * and records every item — then freezes the release. A retry of a half-built release starts over.
 */
@Injectable()
export class ReleaseBuilder {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async build(releaseId: string, progress: (p: BuildProgress) => Promise<void> = async () => undefined): Promise<BuiltRelease> {
    const [release] = await this.dataSource.query('SELECT status, params, digest, summary FROM releases WHERE id = $1', [releaseId]);
    if (!release) throw new ReleaseNotFoundError(releaseId);
    if (release.status === 'ready') return { digest: release.digest, summary: release.summary };
    const params = release.params as CreateRelease;

    await progress({ phase: 'selecting' });
    const { sql, params: values } = candidateQuery(params.selection, params.labelPolicy);
    const candidates = withReleaseLabels(((await this.dataSource.query(sql, values)) as CandidateRow[]).map(toCandidate));
    if (candidates.length === 0) throw new PermanentJobError('The selection matches no slices: nothing to release');

    await progress({ phase: 'assigning', total: candidates.length });
    const plan = planRelease(candidates, params);
    const summary = summarizeRelease(candidates, plan);

    const maskPngs = await this.maskPngs(candidates, progress);
    const items: ReleaseManifestItem[] = candidates.map((c) => {
      const maskSha = c.maskRevisionId ? maskPngs.get(c.maskRevisionId)! : null;
      return {
        slice_id: c.sliceId,
        patient_id: c.patientUnknown ? null : c.patientId,
        split: plan.splitOf.get(c.sliceId)!,
        supervision: releaseSupervision(c),
        label: c.label,
        image: imagePath(c.pixelSha256),
        image_sha256: c.pixelSha256,
        mask: maskSha ? maskPath(maskSha) : null,
        mask_sha256: maskSha,
        mask_revision_id: c.maskRevisionId,
        width: c.width,
        height: c.height,
        slice_index: c.sliceIndex,
        source: c.collection,
      };
    });

    await progress({ phase: 'writing', total: items.length });
    const manifest = serializeManifest(items);
    assertManifestMatchesSchema(manifest);
    const digest = manifestDigest(manifest);
    const manifestBlob = await storeBlob(this.storage, manifest, 'application/x-ndjson');
    const summaryBlob = await storeBlob(this.storage, Buffer.from(JSON.stringify(summary, null, 2)), 'application/json');
    const labelRevisionOf = new Map(candidates.map((c) => [c.sliceId, c.labelRevisionId]));
    const patientOf = new Map(candidates.map((c) => [c.sliceId, c.patientId]));
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1 FROM releases WHERE id = $1 FOR UPDATE', [releaseId]);
      await manager.query('DELETE FROM release_items WHERE release_id = $1', [releaseId]);
      await insertBlobRows(manager, [manifestBlob, summaryBlob]);
      for (let i = 0; i < items.length; i += ITEM_BATCH) {
        await this.insertItems(manager, releaseId, items.slice(i, i + ITEM_BATCH), patientOf, labelRevisionOf);
      }
      await manager.query(
        `UPDATE releases SET status = 'ready', digest = $2, manifest_blob = $3, summary_blob = $4, summary = $5, error = NULL, finished_at = now()
          WHERE id = $1`,
        [releaseId, digest, manifestBlob.sha256, summaryBlob.sha256, JSON.stringify(summary)],
      );
    });
    return { digest, summary };
  }

  /** The PNG of every used mask revision, rendered once ever (cached in mask_revision_pngs). */
  private async maskPngs(candidates: ReleaseCandidate[], progress: (p: BuildProgress) => Promise<void>): Promise<Map<string, string>> {
    const masked = candidates.filter((c) => c.maskRevisionId);
    const ids = masked.map((c) => c.maskRevisionId!);
    const cached = (await this.dataSource.query('SELECT revision_id, png_sha256 FROM mask_revision_pngs WHERE revision_id = ANY($1::uuid[])', [ids])) as Array<{
      revision_id: string;
      png_sha256: string;
    }>;
    const pngs = new Map(cached.map((r) => [r.revision_id, r.png_sha256.trim()]));
    const missing = masked.filter((c) => !pngs.has(c.maskRevisionId!));
    const rendered: Array<{ revisionId: string; blob: BlobRow }> = [];
    let next = 0;
    const worker = async () => {
      while (next < missing.length) {
        const c = missing[next++];
        const png = await renderMaskPng(c.maskCounts!, c.width, c.height);
        rendered.push({ revisionId: c.maskRevisionId!, blob: await storeBlob(this.storage, png, 'image/png') });
        if (rendered.length % 200 === 0) await progress({ phase: 'rendering-masks', done: rendered.length, total: missing.length });
      }
    };
    await Promise.all(Array.from({ length: RENDER_CONCURRENCY }, worker));
    for (let i = 0; i < rendered.length; i += ITEM_BATCH) {
      const batch = rendered.slice(i, i + ITEM_BATCH);
      await this.dataSource.transaction(async (manager) => {
        await insertBlobRows(manager, batch.map((r) => r.blob));
        await manager.query(
          'INSERT INTO mask_revision_pngs (revision_id, png_sha256) SELECT * FROM unnest($1::uuid[], $2::char(64)[]) ON CONFLICT DO NOTHING',
          [batch.map((r) => r.revisionId), batch.map((r) => r.blob.sha256)],
        );
      });
    }
    for (const r of rendered) pngs.set(r.revisionId, r.blob.sha256);
    return pngs;
  }

  private async insertItems(
    manager: EntityManager,
    releaseId: string,
    items: ReleaseManifestItem[],
    patientOf: Map<string, string>,
    labelRevisionOf: Map<string, string | null>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO release_items (release_id, slice_id, patient_id, split, supervision, label, mask_revision_id, label_revision_id, image_sha256, mask_sha256)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::char(64)[], $10::char(64)[])`,
      [
        releaseId,
        items.map((i) => i.slice_id),
        items.map((i) => patientOf.get(i.slice_id)),
        items.map((i) => i.split),
        items.map((i) => i.supervision),
        items.map((i) => i.label),
        items.map((i) => i.mask_revision_id),
        items.map((i) => labelRevisionOf.get(i.slice_id) ?? null),
        items.map((i) => i.image_sha256),
        items.map((i) => i.mask_sha256),
      ],
    );
  }
}
