-- mask_revision_rles: each mask revision's mask (COCO RLE counts, size, area) with where it sits in its
-- slice's line (class, state, parent, author, source, time), for releases (which revisions to take, and
-- their masks), training's suggestions and catalog's slice filters (review state, has a mask). Read
-- this, not mask_revisions. A rejection is a child
-- revision in state 'rejected' (parent_id names what it rejects). The view is inlined, so a filter on
-- `id` or `slice_id` uses mask_revisions' indexes.
-- A later migration that changes a column named here must drop this view first (it is re-created after
-- the migrations, when this text changes).
DROP VIEW IF EXISTS mask_revision_rles;
CREATE VIEW mask_revision_rles AS
SELECT r.id, r.slice_id, r.class, r.state, r.parent_id, r.author, r.source, r.created_at,
       r.height, r.width, r.rle_counts, r.area
  FROM mask_revisions r;
