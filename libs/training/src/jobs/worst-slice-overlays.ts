import path from 'node:path';
import type { EvaluationOverlay } from '@lesionlab/contracts';
import type { EvaluationReport } from '@lesionlab/contracts/trainer';
import { PermanentJobError, type BlobRow, type ObjectStorage } from '@lesionlab/platform';
import { uploadFile } from '../trainer/upload-file';

/**
 * Stores the drawings of the report's worst slices (ground truth, prediction, Grad-CAM: PNG files beside
 * the report) and returns the evaluation's overlays naming them by sha256, the blob rows to record, and
 * the report without its file list (paths of a deleted work folder are no result).
 */
export async function storeWorstSlices(
  storage: ObjectStorage,
  reportFile: string,
  report: EvaluationReport,
): Promise<{ overlays: EvaluationOverlay[]; blobs: BlobRow[]; report: Omit<EvaluationReport, 'worst_slices'> }> {
  const { worst_slices: worst = [], ...rest } = report;
  const blobs: BlobRow[] = [];
  const store = async (file: string): Promise<string> => {
    const blob = await uploadFile(storage, path.resolve(path.dirname(reportFile), file), 'image/png');
    if (!blob) throw new PermanentJobError(`the trainer's report names ${file}, which it did not write`);
    blobs.push(blob);
    return blob.sha256;
  };
  const overlays: EvaluationOverlay[] = [];
  for (const slice of worst) {
    const { truth, prediction, gradcam } = slice.images;
    overlays.push({ sliceId: slice.slice_id, dice: slice.dice, images: { truth: await store(truth), prediction: await store(prediction), gradcam: await store(gradcam) } });
  }
  return { overlays, blobs, report: rest };
}
