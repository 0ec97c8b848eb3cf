-- What a slice can teach a model is derived from what is attached to it, never typed in: a submitted
-- or accepted mask beats its cohort (its patient's label), and a negative patient's slices are
-- negatives. Catalog owns slices.supervision and slices.cohort; labels, which knows the masks and the
-- accepted labels, calls these functions instead of writing catalog's columns.
--
-- slice_supervision is the rule (deriveSupervision in supervision.ts is the same rule for the rows an
-- import inserts; catalog's supervision spec checks they agree). A plain SQL function, so PostgreSQL
-- inlines it.
CREATE OR REPLACE FUNCTION slice_supervision(p_has_mask boolean, p_cohort text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN p_has_mask THEN 'pixel' WHEN p_cohort = 'covid' THEN 'patient' WHEN p_cohort = 'negative' THEN 'negative' ELSE 'none' END
$$;

-- record_slice_masks: labels says whether these slices now have a mask (submitted or accepted); their
-- supervision follows. Slices whose supervision already agrees are not written.
DROP FUNCTION IF EXISTS record_slice_masks;
CREATE FUNCTION record_slice_masks(p_slice_ids uuid[], p_has_mask boolean)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  UPDATE slices s SET supervision = slice_supervision(p_has_mask, s.cohort)
   WHERE s.id = ANY(p_slice_ids) AND s.supervision <> slice_supervision(p_has_mask, s.cohort);
END $$;

-- set_patient_label: a patient's label (and where it came from) becomes its slices' cohort; their
-- supervision follows, except on slices that have a mask (pixel stays pixel). Used by catalog's
-- imports and relabels, and by labels when a patient label is accepted.
DROP FUNCTION IF EXISTS set_patient_label;
CREATE FUNCTION set_patient_label(p_patient_id uuid, p_label text, p_source text)
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  UPDATE patients p SET label = p_label, label_source = p_source WHERE p.id = p_patient_id;
  UPDATE slices s SET cohort = p_label, supervision = slice_supervision(s.supervision = 'pixel', p_label)
   WHERE s.patient_id = p_patient_id AND (s.cohort <> p_label OR s.supervision <> slice_supervision(s.supervision = 'pixel', p_label));
END $$;
