-- Row locks other domains take on catalog's rows to serialise their own writes about a slice or a
-- patient (labels: every revision of a slice, or of a patient's label, is saved under its lock).
-- FOR NO KEY UPDATE: it does not block inserts that reference the row. Taken in id order when
-- several, so everyone locks in one order and no two saves deadlock.
--
-- lock_slice: locks the slice; its cohort, or null when there is no such slice.
DROP FUNCTION IF EXISTS lock_slice;
CREATE FUNCTION lock_slice(p_slice_id uuid)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_cohort text;
BEGIN
  SELECT s.cohort INTO v_cohort FROM slices s WHERE s.id = p_slice_id FOR NO KEY UPDATE;
  RETURN v_cohort;
END $$;

-- lock_slices: locks the slices that exist among these; their ids.
DROP FUNCTION IF EXISTS lock_slices;
CREATE FUNCTION lock_slices(p_slice_ids uuid[])
RETURNS SETOF uuid LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN QUERY SELECT s.id FROM slices s WHERE s.id = ANY(p_slice_ids) ORDER BY s.id FOR NO KEY UPDATE;
END $$;

-- lock_patient: locks the patient; false when there is no such patient.
DROP FUNCTION IF EXISTS lock_patient;
CREATE FUNCTION lock_patient(p_patient_id uuid)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM patients p WHERE p.id = p_patient_id FOR NO KEY UPDATE;
  RETURN FOUND;
END $$;
