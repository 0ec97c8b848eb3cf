-- "Current" for a viewer, the one definition of the rule that mask and label revisions share: the
-- newest revision that is either not a draft, or the viewer's own draft (drafts are private work in
-- progress), except a draft kept after a 409, which stays out of the line until its author saves it
-- again on top of the current revision. save_mask_revision and the repositories' reads
-- (revision-sql.ts) call it. A plain SQL function, so PostgreSQL inlines it into each query's plan
-- (indexes and generic plans are those of the condition written out).
CREATE OR REPLACE FUNCTION revision_in_line(p_state text, p_author text, p_conflict_with uuid, p_viewer text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT p_state <> 'draft' OR (p_author = p_viewer AND p_conflict_with IS NULL)
$$;
