import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { AuditEntry, CocoRle, MaskOrigin, QualityWarning } from '@lesionlab/contracts';
import type { DerivedMaskFacts } from '../facts/lesion-facts';
import type { PartialExpectations } from '../facts/quality-warnings';
import { ifMatchOf, type Precondition } from '../precondition';
import type { SlicePixelSource } from '../facts/slice-pixels.reader';
import { MaskRevisionFactsEntity } from './mask-revision-facts.entity';
import { MaskRevisionEntity } from './mask-revision.entity';
import { pendingSubmission, visibleInLine } from '../revision-sql';
import { preparedQuery } from '../prepared-query';

/** What a save needs to know about its slice, read before the locked part. */
export interface MaskSliceContext extends SlicePixelSource {
  sliceId: string;
  cohort: 'covid' | 'negative' | 'unknown';
  pixelSpacingMm: [number, number] | null;
  /** An accepted non-empty mask of this class, or an accepted "opacification present" slice label. */
  expectsLesion: boolean;
}

/** Provenance may be left out: model drafts and imports are their own origin (originOfSource). */
export type NewMaskRevision = Omit<MaskRevisionEntity, 'id' | 'createdAt' | 'origin' | 'draftRleCounts' | 'activeSeconds'> &
  Partial<Pick<MaskRevisionEntity, 'origin' | 'draftRleCounts' | 'activeSeconds'>>;

/** The origin of a revision no one drew from a draft: an import, a model's own draft, or a manual one. */
export function originOfSource(revision: Pick<MaskRevisionEntity, 'source' | 'author' | 'importId'>): MaskOrigin {
  if (revision.source === 'import') return { kind: 'import', importId: revision.importId };
  if (revision.source === 'model') return { kind: 'suggestion', model: revision.author, revisionId: null };
  return { kind: 'manual' };
}

function withProvenance(revision: NewMaskRevision): Omit<MaskRevisionEntity, 'id' | 'createdAt'> {
  return { ...revision, origin: revision.origin ?? originOfSource(revision), draftRleCounts: revision.draftRleCounts ?? null, activeSeconds: revision.activeSeconds ?? null };
}

/** The slice context's select, completed by a WHERE on `s.id`; `$2` is the mask class (mask_expects_lesion: see the migrations). */
const SLICE_CONTEXT = `SELECT s.id, s.width, s.height, s.bit_depth, s.pixel_representation, s.rescale_slope, s.rescale_intercept,
        s.cohort, s.pixel_blob, b.storage_key, b.media_type, s.pixel_spacing_mm,
        mask_expects_lesion(s.id, $2) AS expects_lesion
   FROM slice_facts s JOIN blobs b ON b.sha256 = s.pixel_blob`;

function toSliceContext(row: Record<string, unknown>): MaskSliceContext {
  const spacing = row.pixel_spacing_mm as number[] | null;
  return {
    sliceId: row.id as string,
    width: row.width as number,
    height: row.height as number,
    bitDepth: row.bit_depth as number,
    pixelRepresentation: row.pixel_representation as number,
    rescaleSlope: row.rescale_slope as number,
    rescaleIntercept: row.rescale_intercept as number,
    cohort: row.cohort as MaskSliceContext['cohort'],
    pixelBlob: row.pixel_blob as string,
    storageKey: row.storage_key as string,
    mediaType: row.media_type as string,
    pixelSpacingMm: spacing && spacing.length === 2 ? [spacing[0], spacing[1]] : null,
    expectsLesion: row.expects_lesion as boolean,
  };
}

const CURRENT_FOR_VIEWER = `slice_id = $1 AND class = $2 AND ${visibleInLine('$3')}`;
const PENDING_SUBMISSION = pendingSubmission('mask_revisions');

@Injectable()
export class MaskRevisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * One slice's context (the save's hot path): a prepared statement whose generic plan PostgreSQL
   * keeps, where the unnamed form was planned on every save (0.5 ms of planning for 0.05 ms of work).
   */
  async sliceContext(sliceId: string, maskClass: string): Promise<MaskSliceContext | null> {
    const rows = await preparedQuery<Record<string, unknown>>(this.dataSource, 'labels.mask-slice-context', `${SLICE_CONTEXT} WHERE s.id = $1`, [sliceId, maskClass]);
    return rows.length ? toSliceContext(rows[0]) : null;
  }

  /** The contexts of several slices in one query, by slice id (unknown ids are absent). */
  async sliceContexts(sliceIds: string[], maskClass: string): Promise<Map<string, MaskSliceContext>> {
    // Unnamed on purpose: a generic plan cannot know the array's length and costs it badly.
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`${SLICE_CONTEXT} WHERE s.id = ANY($1::uuid[])`, [sliceIds, maskClass]);
    return new Map(rows.map((row) => [row.id as string, toSliceContext(row)]));
  }

  /** Locks several slices at once (catalog's lock_slices, in id order: no deadlocks); the ids that exist. */
  async lockSlices(manager: EntityManager, sliceIds: string[]): Promise<Set<string>> {
    const rows: Array<{ id: string }> = await manager.query('SELECT id FROM lock_slices($1::uuid[]) AS id', [sliceIds]);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Serialises every write to one slice's revisions until the transaction ends (catalog's lock_slice).
   * Reads made after it (in READ COMMITTED, each statement sees what committed before it started) see
   * every earlier write. False when there is no such slice.
   */
  async lockSlice(manager: EntityManager, sliceId: string): Promise<boolean> {
    const rows: Array<{ cohort: string | null }> = await manager.query('SELECT lock_slice($1) AS cohort', [sliceId]);
    return rows[0].cohort !== null;
  }

  async currentId(manager: EntityManager, sliceId: string, maskClass: string, viewer: string): Promise<string | null> {
    const rows = await manager.query(
      `SELECT id FROM mask_revisions WHERE ${CURRENT_FOR_VIEWER} ORDER BY created_at DESC, id DESC LIMIT 1`,
      [sliceId, maskClass, viewer],
    );
    return rows[0]?.id ?? null;
  }

  async current(sliceId: string, maskClass: string, viewer: string): Promise<MaskRevisionEntity | null> {
    const id = await this.currentId(this.dataSource.manager, sliceId, maskClass, viewer);
    return id === null ? null : this.byId(id);
  }

  /**
   * A human save in one statement (the save_mask_revision function of the migrations): under the
   * slice's lock, the mask is stored on top of the author's current revision when `precondition`
   * holds, else as a draft marked with the revision it conflicts with, parented on `basedOn` when
   * that is a revision of this slice. A holding submitted save gives the slice pixel supervision.
   *
   * `assumed` is the slice state the warnings were derived from (null, or a null part: unchecked):
   * when the locked slice disagrees, nothing is stored and the answer is `'stale-context'`.
   * `audit`, when given, is appended to the audit log in the same transaction if the save holds
   * (its ids gain `revisionId`). Null when there is no such slice. One round trip, a prepared statement.
   */
  async saveHuman(
    save: {
      sliceId: string;
      class: string;
      author: string;
      state: 'draft' | 'submitted';
      rle: CocoRle;
      precondition: Precondition;
      basedOn: string | null;
      /** Null: the save continues its parent's line (see save_mask_revision). */
      provenance: { origin: MaskOrigin; draftCounts: string | null } | null;
      activeSeconds: number | null;
    },
    facts: DerivedMaskFacts,
    warnings: QualityWarning[],
    assumed: PartialExpectations | null = null,
    audit: AuditEntry | null = null,
  ): Promise<{ holds: boolean; currentId: string | null; revision: MaskRevisionEntity; facts: MaskRevisionFactsEntity } | 'stale-context' | null> {
    const rows = await preparedQuery<{
      revision_id: string;
      created_at: Date;
      parent_id: string | null;
      state: MaskRevisionEntity['state'];
      conflict_with: string | null;
      holds: boolean;
      current_id: string | null;
      stale_context: boolean;
      origin: MaskOrigin;
      draft_rle_counts: string | null;
      active_seconds: number | null;
    }>(
      this.dataSource,
      'labels.save-mask-revision',
      'SELECT * FROM save_mask_revision($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)',
      [
        save.sliceId,
        save.class,
        save.author,
        save.state,
        ifMatchOf(save.precondition),
        save.basedOn,
        save.rle.size[0],
        save.rle.size[1],
        save.rle.counts,
        facts.areaPx,
        facts.lesionCount,
        facts.speckCount,
        facts.minLesionPx,
        facts.areaPx,
        facts.areaMm2,
        facts.lungFieldKnown,
        JSON.stringify(facts.lesions),
        JSON.stringify(warnings),
        assumed ? assumed.negativePatient : null,
        assumed ? assumed.expectsLesion : null,
        audit ? JSON.stringify(audit) : null,
        save.provenance ? JSON.stringify(save.provenance.origin) : null,
        save.provenance?.draftCounts ?? null,
        save.activeSeconds,
      ]);
    const row = rows[0];
    if (!row) return null;
    if (row.stale_context) return 'stale-context';
    const revision = Object.assign(new MaskRevisionEntity(), {
      id: row.revision_id,
      sliceId: save.sliceId,
      class: save.class,
      height: save.rle.size[0],
      width: save.rle.size[1],
      rleCounts: save.rle.counts,
      area: facts.areaPx,
      author: save.author,
      source: 'human' as const,
      parentId: row.parent_id,
      state: row.state,
      reviewComment: null,
      reviewedBy: null,
      conflictWith: row.conflict_with,
      importId: null,
      origin: row.origin,
      draftRleCounts: row.draft_rle_counts,
      activeSeconds: row.active_seconds,
      createdAt: row.created_at,
    });
    return { holds: row.holds, currentId: row.current_id, revision, facts: factsRow(row.revision_id, save.sliceId, facts, warnings) };
  }

  async insert(
    manager: EntityManager,
    revision: NewMaskRevision,
    facts: DerivedMaskFacts,
    warnings: QualityWarning[],
  ): Promise<{ revision: MaskRevisionEntity; facts: MaskRevisionFactsEntity }> {
    const complete = withProvenance(revision);
    const result = await manager.insert(MaskRevisionEntity, complete);
    const { id, createdAt } = result.generatedMaps[0] as { id: string; createdAt: Date };
    const row = factsRow(id, revision.sliceId, facts, warnings);
    await manager.insert(MaskRevisionFactsEntity, row);
    return { revision: Object.assign(new MaskRevisionEntity(), complete, { id, createdAt }), facts: row };
  }

  /** Adds an import revision unless the slice already has one of this class; returns whether it was new. */
  /**
   * Inserts import revisions in one statement; a slice that already has its import revision keeps it
   * (the partial unique index). Facts are written for the new ones. Returns how many were new.
   */
  async insertImported(manager: EntityManager, items: Array<{ revision: NewMaskRevision; facts: DerivedMaskFacts; warnings: QualityWarning[] }>): Promise<number> {
    if (items.length === 0) return 0;
    const column = <K extends keyof NewMaskRevision>(key: K) => items.map((i) => i.revision[key]);
    const created: Array<{ id: string; slice_id: string }> = await manager.query(
      `INSERT INTO mask_revisions (slice_id, class, height, width, rle_counts, area, author, source, parent_id, state, review_comment, reviewed_by, conflict_with, import_id, origin)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::text[], $12::text[], $13::uuid[], $14::uuid[], $15::jsonb[])
       ON CONFLICT DO NOTHING RETURNING id, slice_id`,
      [
        column('sliceId'),
        column('class'),
        column('height'),
        column('width'),
        column('rleCounts'),
        column('area'),
        column('author'),
        column('source'),
        column('parentId'),
        column('state'),
        column('reviewComment'),
        column('reviewedBy'),
        column('conflictWith'),
        column('importId'),
        items.map((i) => JSON.stringify(withProvenance(i.revision).origin)),
      ],
    );
    const bySlice = new Map(items.map((i) => [i.revision.sliceId, i]));
    if (created.length) await manager.insert(MaskRevisionFactsEntity, created.map((r) => factsRow(r.id, r.slice_id, bySlice.get(r.slice_id)!.facts, bySlice.get(r.slice_id)!.warnings)));
    return created.length;
  }

  /** Tells catalog these slices now have a mask (record_slice_masks: their supervision becomes pixel). */
  async recordMasks(manager: EntityManager, sliceIds: string[]): Promise<void> {
    await manager.query('SELECT record_slice_masks($1::uuid[], true)', [sliceIds]);
  }

  /** A review decision: a new revision with the reviewed one's mask and facts. */
  async insertReview(
    manager: EntityManager,
    reviewed: MaskRevisionEntity,
    decision: { state: 'approved' | 'rejected'; reviewer: string; comment: string | null },
  ): Promise<MaskRevisionEntity> {
    const { id: _id, createdAt: _createdAt, ...copy } = reviewed;
    const revision: NewMaskRevision = {
      ...copy,
      parentId: reviewed.id,
      state: decision.state,
      reviewComment: decision.comment,
      reviewedBy: decision.reviewer,
      conflictWith: null,
    };
    const result = await manager.insert(MaskRevisionEntity, revision);
    const { id, createdAt } = result.generatedMaps[0] as { id: string; createdAt: Date };
    await manager.query(
      `INSERT INTO mask_revision_facts (revision_id, slice_id, lesion_count, speck_count, min_lesion_px, area_px, area_mm2, lung_field_known, lesions, warnings)
       SELECT $1, slice_id, lesion_count, speck_count, min_lesion_px, area_px, area_mm2, lung_field_known, lesions, warnings
         FROM mask_revision_facts WHERE revision_id = $2`,
      [id, reviewed.id],
    );
    return Object.assign(new MaskRevisionEntity(), revision, { id, createdAt });
  }

  async isPending(manager: EntityManager, revisionId: string): Promise<boolean> {
    const rows = await manager.query(`SELECT 1 FROM mask_revisions r WHERE r.id = $1 AND ${PENDING_SUBMISSION}`, [revisionId]);
    return rows.length > 0;
  }

  /**
   * Tells catalog whether the slice has a mask (an approved one or a submission awaiting review), after
   * a review decided one; catalog's record_slice_masks derives its supervision from that and its cohort.
   */
  async recordWhetherMasked(manager: EntityManager, sliceId: string): Promise<void> {
    await manager.query(
      `SELECT record_slice_masks(ARRAY[$1::uuid], EXISTS (SELECT 1 FROM mask_revisions r WHERE r.slice_id = $1 AND (r.state = 'approved' OR (${PENDING_SUBMISSION}))))`,
      [sliceId],
    );
  }

  byId(revisionId: string, manager: EntityManager = this.dataSource.manager): Promise<MaskRevisionEntity | null> {
    return manager.findOneBy(MaskRevisionEntity, { id: revisionId });
  }

  /** Each slice's scan and index (catalog's slice_facts, read for interpolation), by slice id. */
  async slicePositions(sliceIds: string[]): Promise<Map<string, { scanId: string; sliceIndex: number }>> {
    const rows: Array<{ id: string; scan_id: string; slice_index: number }> = await this.dataSource.query('SELECT id, scan_id, slice_index FROM slice_facts WHERE id = ANY($1::uuid[])', [sliceIds]);
    return new Map(rows.map((row) => [row.id, { scanId: row.scan_id, sliceIndex: row.slice_index }]));
  }

  /**
   * The slices of `sliceId`'s scan within `reach` slices of it (itself included), by index, each with
   * the viewer's current revision of the class (null: none).
   */
  async lineAround(sliceId: string, maskClass: string, viewer: string, reach: number): Promise<Array<{ sliceId: string; sliceIndex: number; revision: MaskRevisionEntity | null }>> {
    const rows: Array<{ slice_id: string; slice_index: number; revision_id: string | null }> = await this.dataSource.query(
      `SELECT n.id AS slice_id, n.slice_index, c.id AS revision_id
         FROM slice_facts t
         JOIN slice_facts n ON n.scan_id = t.scan_id AND n.slice_index BETWEEN t.slice_index - $4 AND t.slice_index + $4
         LEFT JOIN LATERAL (
           SELECT r.id FROM mask_revisions r
            WHERE r.slice_id = n.id AND r.class = $2 AND revision_in_line(r.state, r.author, r.conflict_with, $3)
            ORDER BY r.created_at DESC, r.id DESC LIMIT 1) c ON true
        WHERE t.id = $1
        ORDER BY n.slice_index`,
      [sliceId, maskClass, viewer, reach],
    );
    const ids = rows.flatMap((row) => (row.revision_id ? [row.revision_id] : []));
    const revisions = ids.length ? await this.dataSource.manager.findBy(MaskRevisionEntity, { id: In(ids) }) : [];
    const byId = new Map(revisions.map((r) => [r.id, r]));
    return rows.map((row) => ({ sliceId: row.slice_id, sliceIndex: row.slice_index, revision: row.revision_id ? byId.get(row.revision_id)! : null }));
  }

  /** Each annotator's newest human revision per slice and class (their "line"), for the annotation statistics. */
  async humanLines(): Promise<Array<{ author: string; origin: MaskOrigin; rleCounts: string; draftRleCounts: string | null; activeSeconds: number | null }>> {
    const rows: Array<{ author: string; origin: MaskOrigin; rle_counts: string; draft_rle_counts: string | null; active_seconds: number | null }> = await this.dataSource.query(
      `SELECT DISTINCT ON (slice_id, class, author) author, origin, rle_counts, draft_rle_counts, active_seconds
         FROM mask_revisions WHERE source = 'human'
        ORDER BY slice_id, class, author, created_at DESC, id DESC`,
    );
    return rows.map((row) => ({ author: row.author, origin: row.origin, rleCounts: row.rle_counts, draftRleCounts: row.draft_rle_counts, activeSeconds: row.active_seconds }));
  }

  /** Model draft revisions per model (their author), i.e. the suggestions offered. */
  async suggestionsByModel(): Promise<Map<string, number>> {
    const rows: Array<{ author: string; n: number }> = await this.dataSource.query(`SELECT author, count(*)::int AS n FROM mask_revisions WHERE source = 'model' GROUP BY author`);
    return new Map(rows.map((row) => [row.author, row.n]));
  }

  /** Every revision of the slice (all authors, all states), newest first. */
  history(sliceId: string, maskClass: string): Promise<MaskRevisionEntity[]> {
    return this.dataSource.manager.find(MaskRevisionEntity, { where: { sliceId, class: maskClass }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async factsOf(revisionIds: string[]): Promise<Map<string, MaskRevisionFactsEntity>> {
    if (revisionIds.length === 0) return new Map();
    const rows = await this.dataSource.manager.findBy(MaskRevisionFactsEntity, { revisionId: In(revisionIds) });
    return new Map(rows.map((row) => [row.revisionId, row]));
  }

  /** Submitted mask revisions awaiting a decision, oldest first, with their warnings. */
  async pendingSubmissions(limit: number): Promise<Array<{ id: string; slice_id: string; author: string; created_at: Date; warnings: QualityWarning[] }>> {
    return this.dataSource.query(
      `SELECT r.id, r.slice_id, r.author, r.created_at, COALESCE(f.warnings, '[]') AS warnings
         FROM mask_revisions r LEFT JOIN mask_revision_facts f ON f.revision_id = r.id
        WHERE ${PENDING_SUBMISSION} ORDER BY r.created_at, r.id LIMIT $1`,
      [limit],
    );
  }
}

function factsRow(revisionId: string, sliceId: string, facts: DerivedMaskFacts, warnings: QualityWarning[]): MaskRevisionFactsEntity {
  return {
    revisionId,
    sliceId,
    lesionCount: facts.lesionCount,
    speckCount: facts.speckCount,
    minLesionPx: facts.minLesionPx,
    areaPx: facts.areaPx,
    areaMm2: facts.areaMm2,
    lungFieldKnown: facts.lungFieldKnown,
    lesions: facts.lesions,
    warnings,
  };
}
