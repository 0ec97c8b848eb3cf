-- patient_label_revisions: the label revisions of patients (not of single slices), for releases' label
-- policy. Read this, not label_revisions. A rejection is a child revision in state 'rejected' (parent_id
-- names what it rejects). A later migration that changes a column named here must drop this view first
-- (it is re-created after the migrations, when this text changes).
DROP VIEW IF EXISTS patient_label_revisions;
CREATE VIEW patient_label_revisions AS
SELECT r.id, r.patient_id, r.state, r.parent_id, r.created_at
  FROM label_revisions r
 WHERE r.patient_id IS NOT NULL;
