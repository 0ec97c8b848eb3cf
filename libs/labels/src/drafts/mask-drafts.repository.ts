import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AssistModelRef, CocoRle } from '@lesionlab/contracts';
import { preparedQuery } from '../prepared-query';

type Box = [number, number, number, number];

/** One prompt of an assist draft: the box and the points that refined it. */
export interface AssistDraftPrompt {
  box: Box;
  points: Array<{ x: number; y: number; positive: boolean }>;
}

/** A draft as stored (see the MaskDrafts migration). */
export type StoredDraft = {
  id: string;
  sliceId: string;
  author: string;
  width: number;
  height: number;
} & (
  | { kind: 'assist'; model: AssistModelRef; prompt: AssistDraftPrompt; rleCounts: string }
  | { kind: 'interpolation'; class: string; sources: [string, string] }
);

/** The unit "offered" counts: one slice shown drafts of one source by one annotator. */
export interface OfferedDrafts {
  kind: 'assist' | 'interpolation';
  /** `name version` of an assist model; `interpolation`. */
  model: string;
  slices: number;
}

interface DraftRow {
  id: string;
  slice_id: string;
  author: string;
  kind: 'assist' | 'interpolation';
  class: string | null;
  origin: { model: AssistModelRef; prompt: AssistDraftPrompt } | { sources: [string, string] };
  width: number;
  height: number;
  rle_counts: string | null;
}

const INSERT_ASSIST = `INSERT INTO mask_drafts (slice_id, author, kind, origin, height, width, rle_counts)
  VALUES ($1, $2, 'assist', $3, $4, $5, $6) RETURNING id`;

/** The drafts the server handed out (assist answers, interpolated drafts): what saves are measured against. */
@Injectable()
export class MaskDraftsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Keeps an assist answer; one prepared INSERT (the prompt's latency pays for it). */
  async recordAssist(draft: { sliceId: string; author: string; model: AssistModelRef; prompt: AssistDraftPrompt; rle: CocoRle }): Promise<string> {
    const [height, width] = draft.rle.size;
    const origin = JSON.stringify({ model: draft.model, prompt: draft.prompt });
    const [row] = await preparedQuery<{ id: string }>(this.dataSource, 'labels.mask-draft-assist', INSERT_ASSIST, [draft.sliceId, draft.author, origin, height, width, draft.rle.counts]);
    return row.id;
  }

  /**
   * Keeps the interpolated drafts of `sliceIds` from the two source revisions, one row per slice,
   * and answers their ids; asking again for the same slices and sources answers the same rows.
   */
  async recordInterpolation(input: { sliceIds: string[]; class: string; author: string; sources: [string, string]; size: { width: number; height: number } }): Promise<Map<string, string>> {
    if (input.sliceIds.length === 0) return new Map();
    const rows: Array<{ id: string; slice_id: string }> = await this.dataSource.query(
      `INSERT INTO mask_drafts (slice_id, class, author, kind, origin, source_key, height, width)
       SELECT s, $2, $3, 'interpolation', $4, $5, $6, $7 FROM unnest($1::uuid[]) s
       ON CONFLICT (slice_id, class, author, source_key) WHERE source_key IS NOT NULL DO UPDATE SET source_key = EXCLUDED.source_key
       RETURNING id, slice_id`,
      [input.sliceIds, input.class, input.author, JSON.stringify({ sources: input.sources }), input.sources.join(' '), input.size.height, input.size.width],
    );
    return new Map(rows.map((row) => [row.slice_id, row.id]));
  }

  async byIds(ids: string[]): Promise<StoredDraft[]> {
    const rows: DraftRow[] = await this.dataSource.query('SELECT id, slice_id, author, kind, class, origin, width, height, rle_counts FROM mask_drafts WHERE id = ANY($1::uuid[])', [ids]);
    return rows.map((row) => {
      const common = { id: row.id, sliceId: row.slice_id, author: row.author, width: row.width, height: row.height };
      if (row.kind === 'assist' && 'model' in row.origin) return { ...common, kind: 'assist', model: row.origin.model, prompt: row.origin.prompt, rleCounts: row.rle_counts! };
      if (row.kind === 'interpolation' && 'sources' in row.origin) return { ...common, kind: 'interpolation', class: row.class!, sources: row.origin.sources };
      throw new Error(`mask draft ${row.id}: origin does not match kind ${row.kind}`);
    });
  }

  /** Per source, the slices (per annotator) that were shown at least one of its drafts. */
  async offered(): Promise<OfferedDrafts[]> {
    return this.dataSource.query(
      `SELECT kind, model, count(*)::int AS slices FROM (
         SELECT DISTINCT kind, CASE kind WHEN 'assist' THEN concat_ws(' ', origin->'model'->>'name', origin->'model'->>'version') ELSE 'interpolation' END AS model, slice_id, author
           FROM mask_drafts) d
        GROUP BY kind, model`,
    );
  }
}
