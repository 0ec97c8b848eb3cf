-- save_mask_revision: a human mask save as one statement and one round trip. Applied by the
-- migration runner whenever this file changes (see docs/ARCHITECTURE.md); edit it in place.
--
-- Under the slice's lock (catalog's lock_slice) it stores the mask on top of the author's current
-- revision (revision_in_line) when the precondition holds (precondition_holds; `p_if_match` null
-- means If-None-Match: *), else as a draft marked with the revision it conflicts with, parented on
-- `p_based_on` when that names a revision of this slice; a submitted save that holds tells catalog the
-- slice has a mask (record_slice_masks: its supervision becomes pixel). Catalog's tables are named
-- only by catalog's functions. A plpgsql function runs each statement with a fresh snapshot, so the
-- read of the current revision sees every save committed before the lock was granted.
--
-- `p_negative_patient` / `p_expects_lesion` are what the caller's quality warnings assumed (null: not
-- checked): when either differs from the locked slice's cohort and mask_expects_lesion, it stores
-- nothing and answers one row with `stale_context` true, so the caller may derive warnings from a
-- cached slice context and retry on a fresh one. `p_audit` (null: none) is the request's audit_log
-- entry, appended in the save's own transaction when the save holds, its `ids` extended with
-- `revisionId`; a save that does not hold (a 409) appends nothing here.
--
-- Provenance (issue #19): `p_origin` (null: none claimed) starts a new line with that origin, the draft
-- `p_draft_counts` (null: none) and `p_active_seconds`; without it the save continues the line of its
-- parent: the parent's origin and draft (a model draft or an import as parent is itself the draft),
-- and the parent's seconds plus these when the parent is the author's own. Seconds a save adds are
-- capped by the time since its parent was stored.
--
-- Returns no row when there is no such slice.
DROP FUNCTION IF EXISTS save_mask_revision;

CREATE FUNCTION save_mask_revision(
  p_slice_id uuid, p_class text, p_author text, p_state text, p_if_match text, p_based_on uuid,
  p_height integer, p_width integer, p_rle_counts text, p_area integer,
  p_lesion_count integer, p_speck_count integer, p_min_lesion_px integer, p_area_px integer,
  p_area_mm2 real, p_lung_field_known boolean, p_lesions jsonb, p_warnings jsonb,
  p_negative_patient boolean, p_expects_lesion boolean, p_audit jsonb,
  p_origin jsonb, p_draft_counts text, p_active_seconds real)
RETURNS TABLE (revision_id uuid, created_at timestamptz, parent_id uuid, state text, conflict_with uuid, holds boolean, current_id uuid, stale_context boolean,
               origin jsonb, draft_rle_counts text, active_seconds real)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_cohort text;
  v_current uuid;
  v_holds boolean;
  v_parent uuid;
  v_line_origin jsonb;
  v_line_draft text;
  v_line_author text;
  v_line_seconds real;
  v_line_at timestamptz;
  v_seconds real;
  v_revision mask_revisions%ROWTYPE;
BEGIN
  v_cohort := lock_slice(p_slice_id);
  IF v_cohort IS NULL THEN
    RETURN;
  END IF;
  IF (p_negative_patient IS NOT NULL AND p_negative_patient IS DISTINCT FROM (v_cohort = 'negative'))
     OR (p_expects_lesion IS NOT NULL AND p_expects_lesion IS DISTINCT FROM mask_expects_lesion(p_slice_id, p_class)) THEN
    RETURN QUERY SELECT NULL::uuid, NULL::timestamptz, NULL::uuid, NULL::text, NULL::uuid, false, NULL::uuid, true, NULL::jsonb, NULL::text, NULL::real;
    RETURN;
  END IF;
  -- The current revision is read with what its line carries, as it is the parent when the precondition
  -- holds; else the parent is `p_based_on`, read alike (no row: all null). A model draft or an import
  -- is itself the draft of a line continued from it (only then is its mask read).
  SELECT r.id, r.origin, CASE WHEN r.source = 'human' THEN r.draft_rle_counts ELSE r.rle_counts END, r.author, r.active_seconds, r.created_at
    INTO v_current, v_line_origin, v_line_draft, v_line_author, v_line_seconds, v_line_at
    FROM mask_revisions r
   WHERE r.slice_id = p_slice_id AND r.class = p_class AND revision_in_line(r.state, r.author, r.conflict_with, p_author)
   ORDER BY r.created_at DESC, r.id DESC LIMIT 1;
  v_holds := precondition_holds(p_if_match, v_current);
  IF v_holds THEN
    v_parent := v_current;
  ELSE
    SELECT r.id, r.origin, CASE WHEN r.source = 'human' THEN r.draft_rle_counts ELSE r.rle_counts END, r.author, r.active_seconds, r.created_at
      INTO v_parent, v_line_origin, v_line_draft, v_line_author, v_line_seconds, v_line_at
      FROM mask_revisions r WHERE r.id = p_based_on AND r.slice_id = p_slice_id;
  END IF;
  IF v_parent IS NOT NULL THEN
    v_seconds := CASE WHEN p_active_seconds IS NOT NULL THEN least(p_active_seconds, greatest(0, extract(epoch FROM clock_timestamp() - v_line_at))) END;
  ELSE
    v_seconds := p_active_seconds;
  END IF;
  IF p_origin IS NULL AND v_parent IS NOT NULL THEN
    p_origin := v_line_origin;
    p_draft_counts := v_line_draft;
    IF v_line_author = p_author AND v_line_seconds IS NOT NULL THEN
      v_seconds := v_line_seconds + coalesce(v_seconds, 0);
    END IF;
  END IF;
  INSERT INTO mask_revisions AS r (slice_id, class, height, width, rle_counts, area, author, source, parent_id, state, conflict_with, origin, draft_rle_counts, active_seconds)
  VALUES (p_slice_id, p_class, p_height, p_width, p_rle_counts, p_area, p_author, 'human', v_parent,
          CASE WHEN v_holds THEN p_state ELSE 'draft' END, CASE WHEN v_holds THEN NULL ELSE v_current END,
          coalesce(p_origin, '{"kind": "manual"}'), p_draft_counts, v_seconds)
  RETURNING r.* INTO v_revision;
  INSERT INTO mask_revision_facts (revision_id, slice_id, lesion_count, speck_count, min_lesion_px, area_px, area_mm2, lung_field_known, lesions, warnings)
  VALUES (v_revision.id, p_slice_id, p_lesion_count, p_speck_count, p_min_lesion_px, p_area_px, p_area_mm2, p_lung_field_known, p_lesions, p_warnings);
  IF v_holds AND p_state = 'submitted' THEN
    PERFORM record_slice_masks(ARRAY[p_slice_id], true);
  END IF;
  IF v_holds AND p_audit IS NOT NULL THEN
    INSERT INTO audit_log (actor, actor_role, action, ids, status, ip, user_agent, request_id)
    VALUES (p_audit->>'actor', p_audit->>'actorRole', p_audit->>'action',
            COALESCE(p_audit->'ids', '{}') || jsonb_build_object('revisionId', v_revision.id),
            (p_audit->>'status')::integer, p_audit->>'ip', p_audit->>'userAgent', p_audit->>'requestId');
  END IF;
  -- The answer row from the OUT columns (RETURN NEXT: no query to plan and run, unlike RETURN QUERY).
  revision_id := v_revision.id;
  created_at := v_revision.created_at;
  parent_id := v_revision.parent_id;
  state := v_revision.state;
  conflict_with := v_revision.conflict_with;
  holds := v_holds;
  current_id := v_current;
  stale_context := false;
  origin := v_revision.origin;
  draft_rle_counts := v_revision.draft_rle_counts;
  active_seconds := v_revision.active_seconds;
  RETURN NEXT;
END $$;
