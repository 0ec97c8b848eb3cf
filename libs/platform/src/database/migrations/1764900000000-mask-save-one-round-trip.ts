import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SaveMaskRevision1764800000000 } from './1764800000000-save-mask-revision';

/** save_mask_revision with the context check and the audit entry (see the class comment). */
const SAVE_MASK_REVISION = `
  CREATE FUNCTION save_mask_revision(
    p_slice_id uuid, p_class text, p_author text, p_state text, p_if_match text, p_based_on uuid,
    p_height integer, p_width integer, p_rle_counts text, p_area integer,
    p_lesion_count integer, p_speck_count integer, p_min_lesion_px integer, p_area_px integer,
    p_area_mm2 real, p_lung_field_known boolean, p_lesions jsonb, p_warnings jsonb,
    p_negative_patient boolean, p_expects_lesion boolean, p_audit jsonb)
  RETURNS TABLE (revision_id uuid, created_at timestamptz, parent_id uuid, state text, conflict_with uuid, holds boolean, current_id uuid, stale_context boolean)
  LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    v_cohort text;
    v_current uuid;
    v_holds boolean;
    v_parent uuid;
    v_revision mask_revisions%ROWTYPE;
  BEGIN
    SELECT s.cohort INTO v_cohort FROM slices s WHERE s.id = p_slice_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      RETURN;
    END IF;
    IF (p_negative_patient IS NOT NULL AND p_negative_patient IS DISTINCT FROM (v_cohort = 'negative'))
       OR (p_expects_lesion IS NOT NULL AND p_expects_lesion IS DISTINCT FROM mask_expects_lesion(p_slice_id, p_class)) THEN
      RETURN QUERY SELECT NULL::uuid, NULL::timestamptz, NULL::uuid, NULL::text, NULL::uuid, false, NULL::uuid, true;
      RETURN;
    END IF;
    SELECT r.id INTO v_current FROM mask_revisions r
     WHERE r.slice_id = p_slice_id AND r.class = p_class AND (r.state <> 'draft' OR (r.author = p_author AND r.conflict_with IS NULL))
     ORDER BY r.created_at DESC, r.id DESC LIMIT 1;
    v_holds := CASE WHEN p_if_match IS NULL THEN v_current IS NULL ELSE p_if_match IS NOT DISTINCT FROM v_current::text END;
    IF v_holds THEN
      v_parent := v_current;
    ELSE
      SELECT r.id INTO v_parent FROM mask_revisions r WHERE r.id = p_based_on AND r.slice_id = p_slice_id;
    END IF;
    INSERT INTO mask_revisions AS r (slice_id, class, height, width, rle_counts, area, author, source, parent_id, state, conflict_with)
    VALUES (p_slice_id, p_class, p_height, p_width, p_rle_counts, p_area, p_author, 'human', v_parent,
            CASE WHEN v_holds THEN p_state ELSE 'draft' END, CASE WHEN v_holds THEN NULL ELSE v_current END)
    RETURNING r.* INTO v_revision;
    INSERT INTO mask_revision_facts (revision_id, slice_id, lesion_count, speck_count, min_lesion_px, area_px, area_mm2, lung_field_known, lesions, warnings)
    VALUES (v_revision.id, p_slice_id, p_lesion_count, p_speck_count, p_min_lesion_px, p_area_px, p_area_mm2, p_lung_field_known, p_lesions, p_warnings);
    IF v_holds AND p_state = 'submitted' THEN
      UPDATE slices s SET supervision = 'pixel' WHERE s.id = p_slice_id AND s.supervision <> 'pixel';
    END IF;
    IF v_holds AND p_audit IS NOT NULL THEN
      INSERT INTO audit_log (actor, actor_role, action, ids, status, ip, user_agent, request_id)
      VALUES (p_audit->>'actor', p_audit->>'actorRole', p_audit->>'action',
              COALESCE(p_audit->'ids', '{}') || jsonb_build_object('revisionId', v_revision.id),
              (p_audit->>'status')::integer, p_audit->>'ip', p_audit->>'userAgent', p_audit->>'requestId');
    END IF;
    RETURN QUERY SELECT v_revision.id, v_revision.created_at, v_revision.parent_id, v_revision.state, v_revision.conflict_with, v_holds, v_current, false;
  END $$`;

/**
 * A mask save in one round trip (issue #4), and reads that do not grow with a slice's revisions:
 *
 * - mask_expects_lesion(slice, class): whether the slice has an accepted non-empty mask of the class
 *   or an accepted "opacification present" slice label. One definition, used by the save's slice
 *   context (libs/labels) and by save_mask_revision. plpgsql, so its statement is planned once per
 *   connection (a SQL function with subqueries would be planned on every call).
 * - save_mask_revision gains three arguments. `p_negative_patient` / `p_expects_lesion` are what the
 *   caller's quality warnings assumed (null: not checked): under the slice's lock the function
 *   compares them with the slice's cohort and mask_expects_lesion, and when either differs it stores
 *   nothing and answers a single row with `stale_context` true, so the caller may derive the warnings
 *   from a cached slice context and retry on a fresh one in the rare case it went stale. `p_audit`
 *   (null: none) is the request's audit_log entry, appended in the save's own transaction when the
 *   save holds, its `ids` extended with `revisionId`, the new revision (as the API's audit
 *   interceptor names a result's revision): a save is then one statement and one commit, and its
 *   audit line commits with it. A save that does not hold (a 409) appends nothing here; the
 *   interceptor records it as before. The rest is 1764800000000's function unchanged.
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
    await q.query('DROP FUNCTION save_mask_revision(uuid, text, text, text, text, uuid, integer, integer, text, integer, integer, integer, integer, integer, real, boolean, jsonb, jsonb)');
    await q.query(SAVE_MASK_REVISION);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION save_mask_revision(uuid, text, text, text, text, uuid, integer, integer, text, integer, integer, integer, integer, integer, real, boolean, jsonb, jsonb, boolean, boolean, jsonb)');
    await q.query('DROP FUNCTION mask_expects_lesion(uuid, text)');
    await q.query('DROP INDEX mask_revisions_approved_idx');
    await q.query('CREATE INDEX mask_revisions_slice_idx ON mask_revisions (slice_id, class, created_at DESC)');
    await q.query('DROP INDEX mask_revisions_line_idx');
    // The previous save_mask_revision, as 1764800000000 created it.
    await new SaveMaskRevision1764800000000().up(q);
  }
}
