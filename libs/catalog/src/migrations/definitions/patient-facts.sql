-- patient_facts: what other domains may read about a patient (releases' exports name patients by it).
-- Read this, not catalog's tables. A later migration that changes a column named here must drop this
-- view first (it is re-created after the migrations, when this text changes).
DROP VIEW IF EXISTS patient_facts;
CREATE VIEW patient_facts AS
SELECT p.id, p.external_id, p.collection, p.label,
       COALESCE((p.metadata->>'patientUnknown')::boolean, false) AS patient_unknown
  FROM patients p;
