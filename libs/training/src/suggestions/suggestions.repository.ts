import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SliceSuggestion, WorkQueueNext } from '@lesionlab/contracts';

interface SuggestionRow {
  revision_id: string;
  author: string;
  height: number;
  width: number;
  rle_counts: string;
  area: number;
  covid_probability: number | null;
  uncertainty: number | null;
  gradcam_blob: string | null;
}

/** The newest prediction of each slice (latest batch first), with its model draft revision. */
const NEWEST_PREDICTION = `
  SELECT r.id AS revision_id, r.author, r.height, r.width, r.rle_counts, r.area, sp.covid_probability, sp.uncertainty, sp.gradcam_blob
  FROM slice_predictions sp
  JOIN prediction_batches b ON b.id = sp.batch_id
  JOIN mask_revision_rles r ON r.id = sp.revision_id
  WHERE sp.slice_id = $1
  ORDER BY b.created_at DESC
  LIMIT 1`;

/**
 * Model suggestions as annotators use them (training owns the predictions; the drafts are labels'
 * revisions, read through its view mask_revision_rles, the queue's slices catalog's, read through slice_facts): a slice's newest model draft with its Grad-CAM map, and
 * the work queue — COVID patients' slices without a human (or imported) mask, most uncertain first.
 */
@Injectable()
export class SuggestionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async suggestion(sliceId: string): Promise<SliceSuggestion | null> {
    const [row]: SuggestionRow[] = await this.dataSource.query(NEWEST_PREDICTION, [sliceId]);
    if (!row) return null;
    return {
      revisionId: row.revision_id,
      author: row.author,
      rle: { size: [row.height, row.width], counts: row.rle_counts },
      area: row.area,
      covidProbability: row.covid_probability,
      uncertainty: row.uncertainty,
      hasGradcam: row.gradcam_blob !== null,
    };
  }

  /** The sha256 of the slice's newest Grad-CAM map, or null. */
  async gradcamBlob(sliceId: string): Promise<string | null> {
    const [row]: SuggestionRow[] = await this.dataSource.query(NEWEST_PREDICTION, [sliceId]);
    return row?.gradcam_blob?.trim() ?? null;
  }

  async nextForAnnotation(): Promise<WorkQueueNext> {
    const [row] = await this.dataSource.query(`
      SELECT s.id, p.uncertainty
      FROM slice_facts s
      LEFT JOIN LATERAL (
        SELECT sp.uncertainty FROM slice_predictions sp JOIN prediction_batches b ON b.id = sp.batch_id
        WHERE sp.slice_id = s.id ORDER BY b.created_at DESC LIMIT 1
      ) p ON true
      WHERE s.cohort = 'covid' AND NOT EXISTS (SELECT 1 FROM mask_revision_rles m WHERE m.slice_id = s.id AND m.source <> 'model')
      ORDER BY p.uncertainty DESC NULLS LAST, s.patient_external_id, s.slice_index
      LIMIT 1`);
    return { sliceId: row?.id ?? null, uncertainty: row?.uncertainty ?? null };
  }
}
