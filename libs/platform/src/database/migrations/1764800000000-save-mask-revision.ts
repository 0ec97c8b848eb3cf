import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * save_mask_revision: a human mask save as one statement, so the save costs one round trip instead
 * of six (BEGIN, lock, current, two inserts, COMMIT). A plpgsql function runs each of its statements
 * with a fresh snapshot, so the read of the current revision sees every save committed before the
 * slice's lock was granted, exactly as the separate statements did. It encodes two rules of
 * libs/labels that must change together with it: "current" for a viewer (visibleInLine in
 * revision-sql.ts) and preconditionHolds (precondition.ts); libs/labels' save-mask spec checks both.
 *
 * Returns no row when there is no such slice. Otherwise it stores the mask, based on the viewer's
 * current revision when the precondition holds (`if_match` null means If-None-Match: *), else as a
 * draft marked with the revision it conflicts with and parented on `based_on` when that names a
 * revision of this slice; a submitted save that holds gives the slice pixel supervision.
 */
export class SaveMaskRevision1764800000000 implements MigrationInterface {
  name = 'SaveMaskRevision1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION save_mask_revision(
        p_slice_id uuid, p_class text, p_author text, p_state text, p_if_match text, p_based_on uuid,
        p_height integer, p_width integer, p_rle_counts text, p_area integer,
        p_lesion_count integer, p_speck_count integer, p_min_lesion_px integer, p_area_px integer,
        p_area_mm2 real, p_lung_field_known boolean, p_lesions jsonb, p_warnings jsonb)
      RETURNS TABLE (revision_id uuid, created_at timestamptz, parent_id uuid, state text, conflict_with uuid, holds boolean, current_id uuid)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        v_current uuid;
        v_holds boolean;
        v_parent uuid;
        v_revision mask_revisions%ROWTYPE;
      BEGIN
        PERFORM 1 FROM slices s WHERE s.id = p_slice_id FOR NO KEY UPDATE;
        IF NOT FOUND THEN
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
        RETURN QUERY SELECT v_revision.id, v_revision.created_at, v_revision.parent_id, v_revision.state, v_revision.conflict_with, v_holds, v_current;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION save_mask_revision');
  }
}
