-- slice_facts: what other domains may read about a slice (releases' candidate selection, labels' slice
-- context, training's work queue), with its patient's and scan's facts. Read this, not catalog's tables.
-- The patient and scan are LEFT JOINs on their primary keys (every slice has both), so PostgreSQL drops
-- either join from a query that reads none of its columns; the view is inlined, so a filter on `id`
-- or `cohort` uses slices' indexes as if written against the table.
-- A later migration that changes a column named here must drop this view first (it is re-created after
-- the migrations, when this text changes).
DROP VIEW IF EXISTS slice_facts;
CREATE VIEW slice_facts AS
SELECT s.id, s.patient_id, s.scan_id, s.import_id, s.slice_index, s.width, s.height, s.bit_depth,
       s.pixel_representation, s.rescale_slope, s.rescale_intercept, s.cohort, s.supervision, s.pixel_blob, s.phash,
       p.external_id AS patient_external_id, p.collection, p.label AS patient_label,
       COALESCE((p.metadata->>'patientUnknown')::boolean, false) AS patient_unknown,
       sc.pixel_spacing_mm
  FROM slices s
  LEFT JOIN patients p ON p.id = s.patient_id
  LEFT JOIN scans sc ON sc.id = s.scan_id;
