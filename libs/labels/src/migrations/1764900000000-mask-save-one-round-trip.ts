import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A mask save in one round trip (issue #4), and reads that do not grow with a slice's revisions:
 *
 * - mask_expects_lesion(slice, class): whether the slice has an accepted non-empty mask of the class
 *   or an accepted "opacification present" slice label. One definition, used by the save's slice
 *   context (libs/labels) and by save_mask_revision. plpgsql, so its statement is planned once per
 *   connection (a SQL function with subqueries would be planned on every call).
 * - save_mask_revision gained the slice-context check and the audit entry; the function is now
 *   definitions/save-mask-revision.sql, applied by the runner after the migrations.
 * - mask_revisions_line_idx (slice_id, class, created_at DESC, id DESC) replaces
 *   mask_revisions_slice_idx (slice_id, class, created_at DESC): the "current revision" lookup
 *   (ORDER BY created_at DESC, id DESC LIMIT 1) reads the newest entries in index order and stops,
 *   with no sort; every use of the old index is a prefix of the new one.
 * - mask_revisions_approved_idx (slice_id, class, created_at DESC, id DESC) WHERE state = 'approved':
 *   the accepted mask of a slice (accepted_mask_facts). Without it a cached generic plan of the slice
 *   context read scanned every revision of the slice through mask_revisions_slice_idx and filtered on
 *   the state: the save's cost grew with the slice's autosaves. Only approved revisions enter it.
 */
export class MaskSaveOneRoundTrip1764900000000 implements MigrationInterface {
  name = 'MaskSaveOneRoundTrip1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX mask_revisions_line_idx ON mask_revisions (slice_id, class, created_at DESC, id DESC)');
    await q.query('DROP INDEX mask_revisions_slice_idx');
    await q.query("CREATE INDEX mask_revisions_approved_idx ON mask_revisions (slice_id, class, created_at DESC, id DESC) WHERE state = 'approved'");
    await q.query(`
      CREATE FUNCTION mask_expects_lesion(p_slice_id uuid, p_class text) RETURNS boolean
      LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN EXISTS (SELECT 1 FROM accepted_mask_facts a WHERE a.slice_id = p_slice_id AND a.class = p_class AND a.area_px > 0)
            OR (SELECT l.value = 'present' FROM label_revisions l WHERE l.slice_id = p_slice_id AND l.state = 'approved'
                 ORDER BY l.created_at DESC LIMIT 1) IS TRUE;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION mask_expects_lesion(uuid, text)');
    await q.query('DROP INDEX mask_revisions_approved_idx');
    await q.query('CREATE INDEX mask_revisions_slice_idx ON mask_revisions (slice_id, class, created_at DESC)');
    await q.query('DROP INDEX mask_revisions_line_idx');
  }
}
