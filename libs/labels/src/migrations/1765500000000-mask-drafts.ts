import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every draft the server hands an annotator (issue #19): an assist answer, or an interpolated draft
 * of a slice between two masked ones. A save names the draft it started from by id, and the server
 * measures the edit against what it stored here, never against pixels the client sends back.
 *
 * `rle_counts` is the draft's COCO counts string (the assist answer as the model thread encoded it);
 * an interpolation stores none: its `origin.sources` are immutable revisions, drawn again on save.
 * `source_key` identifies an interpolation by its two sources, so asking again for the same slices
 * reuses the rows instead of adding one per visit. An assist draft has no class: the model draws a
 * lesion, and the save says which class it becomes. Drafts are kept, never saved ones too: they are
 * what the annotation statistics count as offered (an assist row is a few hundred bytes of RLE).
 */
export class MaskDrafts1765500000000 implements MigrationInterface {
  name = 'MaskDrafts1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE mask_drafts (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slice_id    uuid NOT NULL REFERENCES slices (id) ON DELETE CASCADE,
        class       text CHECK ((kind = 'interpolation') = (class IS NOT NULL)),
        author      text NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('assist', 'interpolation')),
        origin      jsonb NOT NULL,
        source_key  text,
        height      integer NOT NULL CHECK (height > 0),
        width       integer NOT NULL CHECK (width > 0),
        rle_counts  text CHECK ((kind = 'assist') = (rle_counts IS NOT NULL)),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX mask_drafts_slice_idx ON mask_drafts (slice_id, created_at)');
    await q.query('CREATE UNIQUE INDEX mask_drafts_one_per_source ON mask_drafts (slice_id, class, author, source_key) WHERE source_key IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mask_drafts');
  }
}
