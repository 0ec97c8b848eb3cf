-- precondition_holds: the conditional-write rule of every revisioned thing (masks, labels), the one
-- definition of it. A save names the revision it was based on (`p_if_match`, If-Match) or, with null,
-- says there is none yet (If-None-Match: *); it holds when that is the current revision `p_current`
-- (null: there is none; revision_in_line decides which is current). save_mask_revision and the label
-- save (label-revisions.repository.ts) call it. A plain SQL function, so PostgreSQL inlines it.
CREATE OR REPLACE FUNCTION precondition_holds(p_if_match text, p_current uuid)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_if_match IS NULL THEN p_current IS NULL ELSE p_if_match IS NOT DISTINCT FROM p_current::text END
$$;
