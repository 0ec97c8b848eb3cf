import { z } from 'zod';

export const PATIENT_LABELS = ['covid', 'negative', 'unknown'] as const;
export const SUPERVISION_KINDS = ['pixel', 'patient', 'negative', 'none'] as const;
export const IMPORT_FORMATS = ['covid-cs', 'manifest', 'nifti', 'dicom', 'images'] as const;
export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;

export type PatientLabel = (typeof PATIENT_LABELS)[number];
export type SupervisionKind = (typeof SUPERVISION_KINDS)[number];
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** GET /api/slices/:id — everything the editor needs to show a slice. */
export const sliceDetailSchema = z.object({
  id: z.uuid(),
  patientId: z.uuid(),
  patientExternalId: z.string(),
  collection: z.string(),
  scanId: z.uuid(),
  sliceIndex: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** 8 for 0–255 sources (JPEG/PNG), 16 for CT values (NIfTI, DICOM). */
  bitDepth: z.union([z.literal(8), z.literal(16)]),
  /** 0: unsigned, 1: signed two's complement (16-bit only). */
  pixelRepresentation: z.union([z.literal(0), z.literal(1)]),
  /** value = stored · slope + intercept (Hounsfield units for CT). */
  rescaleSlope: z.number(),
  rescaleIntercept: z.number(),
  defaultWindow: z.object({ center: z.number(), width: z.number() }).nullable(),
  /** [row, column] spacing in mm, when the source says. */
  pixelSpacingMm: z.tuple([z.number(), z.number()]).nullable(),
  cohort: z.enum(PATIENT_LABELS),
  supervision: z.enum(SUPERVISION_KINDS),
  sourceName: z.string().nullable(),
  importId: z.uuid().nullable(),
  /** Raw pixels (see PIXELS_MEDIA_TYPE): presigned for S3, served by the API for fs. */
  pixelsUrl: z.string(),
  thumbnailUrl: z.string().nullable(),
  /** Neighbouring slices of the same scan, by index. */
  previousSliceId: z.uuid().nullable(),
  nextSliceId: z.uuid().nullable(),
  createdAt: z.string(),
});
export type SliceDetail = z.infer<typeof sliceDetailSchema>;

/**
 * GET /api/slices/:id/pixels answers with the slice's stored values, row-major, little-endian:
 * width·height bytes for 8-bit slices, width·height·2 bytes (uint16 or int16 by pixelRepresentation)
 * for 16-bit ones. The browser windows them itself.
 */
export const PIXELS_MEDIA_TYPE = 'application/vnd.lesionlab.pixels';

export const sliceSummarySchema = sliceDetailSchema.pick({
  id: true,
  patientId: true,
  patientExternalId: true,
  sliceIndex: true,
  width: true,
  height: true,
  cohort: true,
  supervision: true,
  thumbnailUrl: true,
});
export type SliceSummary = z.infer<typeof sliceSummarySchema>;

export const slicePageSchema = z.object({ items: z.array(sliceSummarySchema), nextCursor: z.string().nullable() });
export type SlicePage = z.infer<typeof slicePageSchema>;

export const importFailureSchema = z.object({ file: z.string(), reason: z.string() });
export type ImportFailure = z.infer<typeof importFailureSchema>;
