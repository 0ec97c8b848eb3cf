import { z } from 'zod';

export const PATIENT_LABELS = ['covid', 'negative', 'unknown'] as const;
export const SUPERVISION_KINDS = ['pixel', 'patient', 'negative', 'none'] as const;
export const IMPORT_FORMATS = ['covid-cs', 'manifest', 'nifti', 'dicom', 'images'] as const;
export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
/**
 * The review state of a slice: the state of its newest non-draft mask revision of any class
 * (submitted, approved or rejected), or `none` when it has none — drafts are an annotator's private
 * work in progress and do not count.
 */
export const SLICE_REVIEW_STATES = ['none', 'submitted', 'approved', 'rejected'] as const;
export type SliceReviewState = (typeof SLICE_REVIEW_STATES)[number];

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
}).extend({
  reviewState: z.enum(SLICE_REVIEW_STATES),
  /**
   * The slice's lesion area: the sum over its accepted masks (the newest approved revision of each
   * class, accepted_mask_facts) of their area in pixels; null when it has no accepted mask.
   */
  lesionAreaPx: z.number().int().nullable(),
  /** The same area in mm² when every accepted mask's pixel spacing is known, else null. */
  lesionAreaMm2: z.number().nullable(),
});
export type SliceSummary = z.infer<typeof sliceSummarySchema>;

export const slicePageSchema = z.object({ items: z.array(sliceSummarySchema), nextCursor: z.string().nullable() });
export type SlicePage = z.infer<typeof slicePageSchema>;

export const importFailureSchema = z.object({ file: z.string(), reason: z.string() });
export type ImportFailure = z.infer<typeof importFailureSchema>;

/** Where an import reads from: a server-side path under IMPORT_ALLOWED_ROOTS, or a prefix of the object store (S3 or uploads). */
export const importSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  z.object({ kind: z.literal('s3'), prefix: z.string().min(1).max(900) }),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const importOptionsSchema = z.object({
  /** Patients are unique per collection; by default the source folder's name. */
  collection: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-"').optional(),
  /** A `patient_id,label` CSV (path or key, relative to the source or absolute). */
  labels: z.string().min(1).optional(),
  /** A folder of masks with the images' stems (covid-cs, images) or of label volumes with the volumes' names (nifti). */
  masks: z.string().min(1).optional(),
  /** The label of patients nothing else labels. */
  label: z.enum(PATIENT_LABELS).optional(),
  /** `images`: one patient for every file (otherwise each sub-folder is a patient). */
  patient: z.string().min(1).max(200).optional(),
  /** A mask pixel is lesion when its value is at least this (1: any non-zero; 128 for soft masks). */
  maskThreshold: z.number().int().min(1).max(255).default(1),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

/** GET /api/imports (newest first; `cursor` is a page's nextCursor). */
export const importListQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(500).optional() });

/** POST /api/imports (JSON). Uploads send the same fields as multipart form fields. */
export const startImportSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  source: importSourceSchema,
  options: importOptionsSchema.default({ maskThreshold: 1 }),
});
export type StartImport = z.infer<typeof startImportSchema>;

export const importCountsSchema = z.object({
  found: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  failed: z.number().int(),
  masks: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

/** GET /api/imports/:id — one import run. */
export const importRunSchema = importCountsSchema.extend({
  id: z.uuid(),
  format: z.enum(IMPORT_FORMATS),
  source: z.string(),
  options: z.record(z.string(), z.unknown()),
  status: z.enum(IMPORT_STATUSES),
  failures: z.array(importFailureSchema),
  timings: z.record(z.string(), z.number()),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportRun = z.infer<typeof importRunSchema>;

export const importPageSchema = z.object({ items: z.array(importRunSchema), nextCursor: z.string().nullable() });
export type ImportPage = z.infer<typeof importPageSchema>;

export const SLICE_SORTS = ['id', '-id', 'patient'] as const;

/** GET /api/slices and /api/slices/facets query. */
export const sliceQuerySchema = z.object({
  patient: z.uuid().optional(),
  cohort: z.enum(PATIENT_LABELS).optional(),
  supervision: z.enum(SUPERVISION_KINDS).optional(),
  hasMask: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  import: z.uuid().optional(),
  reviewState: z.enum(SLICE_REVIEW_STATES).optional(),
  /** Lesion area bounds in pixels, inclusive; either one leaves out slices without an accepted mask. */
  minLesionAreaPx: z.coerce.number().int().min(0).optional(),
  maxLesionAreaPx: z.coerce.number().int().min(0).optional(),
  sort: z.enum(SLICE_SORTS).default('id'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type SliceQuery = z.infer<typeof sliceQuerySchema>;

/** GET /api/slices/facets query: the list's filters without paging. */
export const sliceFacetQuerySchema = sliceQuerySchema.omit({ sort: true, limit: true, cursor: true });

export const sliceFacetsSchema = z.object({
  total: z.number().int(),
  supervision: z.record(z.enum(SUPERVISION_KINDS), z.number().int()),
  cohort: z.record(z.enum(PATIENT_LABELS), z.number().int()),
  reviewState: z.record(z.enum(SLICE_REVIEW_STATES), z.number().int()),
});
export type SliceFacets = z.infer<typeof sliceFacetsSchema>;

/** GET /api/patients item. */
export const patientSummarySchema = z.object({
  id: z.uuid(),
  collection: z.string(),
  externalId: z.string(),
  label: z.enum(PATIENT_LABELS),
  labelSource: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  slices: z.record(z.enum(SUPERVISION_KINDS), z.number().int()),
});
export type PatientSummary = z.infer<typeof patientSummarySchema>;

export const patientQuerySchema = z.object({
  collection: z.string().max(100).optional(),
  cohort: z.enum(PATIENT_LABELS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(500).optional(),
});
export type PatientQuery = z.infer<typeof patientQuerySchema>;
export const patientPageSchema = z.object({ items: z.array(patientSummarySchema), nextCursor: z.string().nullable() });
export type PatientPage = z.infer<typeof patientPageSchema>;
