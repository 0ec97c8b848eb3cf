import { z } from 'zod';

export const REVISION_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export const REVISION_SOURCES = ['human', 'model', 'import', 'consensus'] as const;
export const DEFAULT_MASK_CLASS = 'opacification';

/** COCO compressed RLE, column-major: `size` is [height, width]. */
export const cocoRleSchema = z.object({
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  counts: z.string(),
});
export type CocoRle = z.infer<typeof cocoRleSchema>;

/** GET /api/slices/:id/mask (with ETag: "<revisionId>") and each item of /revisions. */
export const maskRevisionSchema = z.object({
  revisionId: z.uuid(),
  sliceId: z.uuid(),
  class: z.string(),
  rle: cocoRleSchema,
  author: z.string(),
  source: z.enum(REVISION_SOURCES),
  parentId: z.uuid().nullable(),
  state: z.enum(REVISION_STATES),
  reviewComment: z.string().nullable(),
  area: z.number().int(),
  createdAt: z.string(),
  /** Who approved or rejected it (approved/rejected revisions only). */
  reviewedBy: z.string().nullable().optional(),
  /** On a draft kept after a stale save (409): the revision that was current then. */
  conflictWith: z.uuid().nullable().optional(),
  /** Derived from the mask when it was saved (see maskFactsSchema). */
  facts: z.lazy(() => maskFactsSchema).nullable().optional(),
  warnings: z.lazy(() => z.array(qualityWarningSchema)).optional(),
});
export type MaskRevision = z.infer<typeof maskRevisionSchema>;

/** A mask class a client names: short, and safe in paths, logs and file names. */
export const maskClassSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, '1-64 characters: letters, digits, - and _, starting with a letter or digit');

/** GET /api/slices/:id/mask query: the requester's current revision of a class, or one revision by id. */
export const maskQuerySchema = z.object({ class: maskClassSchema.default(DEFAULT_MASK_CLASS), revision: z.uuid().optional() });
/** GET /api/slices/:id/mask/revisions query. */
export const maskHistoryQuerySchema = maskQuerySchema.pick({ class: true });

/** PUT /api/slices/:id/mask body; the precondition goes in If-Match / If-None-Match. */
export const saveMaskSchema = z.object({
  rle: cocoRleSchema,
  class: maskClassSchema.default(DEFAULT_MASK_CLASS),
  /** draft (autosave) or submitted (for review). */
  state: z.enum(['draft', 'submitted']).default('draft'),
});
export type SaveMask = z.infer<typeof saveMaskSchema>;

export const boundingBoxSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int(), height: z.number().int() });

/**
 * Where a lesion lies, from its centroid. `side` is the patient's side (radiological convention: the
 * patient's right lung is on the image's left); `third` splits the lung field's vertical extent in
 * the image into upper/middle/lower thirds. Null when the lung field could not be estimated.
 */
export const lesionLocationSchema = z.object({
  side: z.enum(['left', 'right']).nullable(),
  third: z.enum(['upper', 'middle', 'lower']).nullable(),
});

export const lesionFactsSchema = z.object({
  areaPx: z.number().int(),
  areaMm2: z.number().nullable(),
  boundingBox: boundingBoxSchema,
  centroid: z.object({ x: z.number(), y: z.number() }),
  location: lesionLocationSchema,
});

/** GET /api/revisions/:id/facts — derived from the mask when it is saved, never typed in. */
export const maskFactsSchema = z.object({
  revisionId: z.uuid(),
  /** Components of at least minLesionPx pixels. */
  lesionCount: z.number().int(),
  /** Components below minLesionPx pixels (counted in areaPx, not in lesions). */
  speckCount: z.number().int(),
  minLesionPx: z.number().int(),
  areaPx: z.number().int(),
  /** Null when the scan's pixel spacing is unknown. */
  areaMm2: z.number().nullable(),
  lungFieldKnown: z.boolean(),
  lesions: z.array(lesionFactsSchema),
});
export type MaskFacts = z.infer<typeof maskFactsSchema>;

export const QUALITY_WARNING_CODES = ['negative-patient', 'outside-body', 'specks', 'empty-mask'] as const;
export const qualityWarningSchema = z.object({ code: z.enum(QUALITY_WARNING_CODES), message: z.string() });
export type QualityWarning = z.infer<typeof qualityWarningSchema>;

export const maskRevisionListSchema = z.object({ items: z.array(maskRevisionSchema) });

/** POST /api/revisions/:id/approve and /reject (a rejection needs a comment). */
export const reviewDecisionSchema = z.object({ comment: z.string().trim().min(1).max(4000).optional() });
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** GET /api/review/queue: submitted revisions (masks and labels) waiting for a decision, oldest first. */
export const reviewQueueItemSchema = z.object({
  revisionId: z.uuid(),
  kind: z.enum(['mask', 'patient-label', 'slice-label']),
  /** The slice (masks, slice labels) or the patient (patient labels). */
  subjectId: z.uuid(),
  author: z.string(),
  createdAt: z.string(),
  warnings: z.array(qualityWarningSchema),
});
export const reviewQueueSchema = z.object({ items: z.array(reviewQueueItemSchema) });
export const reviewQueueQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export type ReviewQueueItem = z.infer<typeof reviewQueueItemSchema>;

/** GET /api/agreement query. */
export const agreementQuerySchema = z.object({
  sliceId: z.uuid().optional(),
  limit: z.coerce.number().int().min(2).max(5000).default(1000),
});

/** GET /api/agreement: Dice between annotators' latest submitted or approved masks of the same slice. */
export const agreementSchema = z.object({
  slices: z.array(
    z.object({
      sliceId: z.uuid(),
      class: z.string(),
      pairs: z.array(z.object({ a: z.string(), b: z.string(), dice: z.number() })),
    }),
  ),
  pairs: z.array(z.object({ a: z.string(), b: z.string(), slices: z.number().int(), meanDice: z.number(), minDice: z.number() })),
});
export type Agreement = z.infer<typeof agreementSchema>;

export const PATIENT_LABEL_VALUES = ['covid', 'negative'] as const;
export const SLICE_LABEL_VALUES = ['present', 'absent'] as const;

/** GET/PUT /api/patients/:id/label and /api/slices/:id/label (slice: opacification present or absent). */
export const labelRevisionSchema = z.object({
  revisionId: z.uuid(),
  subject: z.enum(['patient', 'slice']),
  subjectId: z.uuid(),
  value: z.enum([...PATIENT_LABEL_VALUES, ...SLICE_LABEL_VALUES]),
  author: z.string(),
  source: z.enum(REVISION_SOURCES),
  parentId: z.uuid().nullable(),
  state: z.enum(REVISION_STATES),
  reviewComment: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  conflictWith: z.uuid().nullable(),
  createdAt: z.string(),
});
export type LabelRevision = z.infer<typeof labelRevisionSchema>;

export const savePatientLabelSchema = z.object({ value: z.enum(PATIENT_LABEL_VALUES), state: z.enum(['draft', 'submitted']).default('submitted') });
export const saveSliceLabelSchema = z.object({ value: z.enum(SLICE_LABEL_VALUES), state: z.enum(['draft', 'submitted']).default('submitted') });
