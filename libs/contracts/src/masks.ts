import { z } from 'zod';
import { assistPointSchema, assistRequestSchema } from './assist';
import { cocoRleSchema } from './coco-rle';

export const REVISION_STATES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export const REVISION_SOURCES = ['human', 'model', 'import', 'consensus'] as const;
export const DEFAULT_MASK_CLASS = 'opacification';

export { cocoRleSchema, type CocoRle } from './coco-rle';

export const MASK_ORIGIN_KINDS = ['manual', 'assist', 'suggestion', 'interpolation', 'import'] as const;
export type MaskOriginKind = (typeof MASK_ORIGIN_KINDS)[number];
/** The most slices apart two interpolation sources may be (k and k + n, n at most this). */
export const MAX_INTERPOLATION_GAP = 32;
/** The most active editing seconds one save may add (the server also caps them by the time since the revision it builds on). */
export const MAX_ACTIVE_SECONDS_PER_SAVE = 3600;

const assistPromptSchema = z.object({ box: assistRequestSchema.shape.box, points: z.array(assistPointSchema).max(32, 'at most 32 points').default([]) });

/**
 * What a save says its mask started from (PUT body `origin`); the server checks it and derives the
 * rest from what it stored itself. `suggestion`: the model draft revision accepted (its mask and model
 * are read server-side). `assist`: the drafts POST /api/slices/:id/assist answered (their `draftId`s;
 * the line's draft is their union joined to the revision the save builds on). `interpolation`: the
 * `draftId` GET /api/slices/:id/mask/interpolation gave the slice (drawn again from its sources). A
 * draft must have been handed to the saver on this slice. `line`: the save goes back to the line of an
 * earlier revision of the slice (the editor undid past a draft it had accepted and saved). Without
 * `origin`, a save continues the line of the revision it builds on (same origin and draft).
 */
export const maskOriginClaimSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({ kind: z.literal('assist'), draftIds: z.array(z.uuid()).min(1).max(64, 'at most 64 drafts') }),
  z.object({ kind: z.literal('suggestion'), revisionId: z.uuid() }),
  z.object({ kind: z.literal('interpolation'), draftId: z.uuid() }),
  z.object({ kind: z.literal('line'), revisionId: z.uuid() }),
]);
export type MaskOriginClaim = z.infer<typeof maskOriginClaimSchema>;

const interpolationSourceSchema = z.object({ revisionId: z.uuid(), sliceId: z.uuid(), sliceIndex: z.number().int() });

/** Where a revision's pixels came from, as stored (each item of /revisions carries it). */
export const maskOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  /** `draftIds`: the stored drafts (absent on lines saved before drafts were stored). */
  z.object({ kind: z.literal('assist'), model: z.object({ name: z.string(), version: z.string() }), prompts: z.array(assistPromptSchema), draftIds: z.array(z.uuid()).optional() }),
  /** `model` is the suggestion's author, `model:<name>:v<version>`. */
  z.object({ kind: z.literal('suggestion'), model: z.string(), revisionId: z.uuid().nullable() }),
  z.object({ kind: z.literal('interpolation'), sources: z.tuple([interpolationSourceSchema, interpolationSourceSchema]), draftId: z.uuid().optional() }),
  z.object({ kind: z.literal('import'), importId: z.uuid().nullable() }),
]);
export type MaskOrigin = z.infer<typeof maskOriginSchema>;

/** How far the saved mask is from the draft its line started from: computed by the server from both masks. */
export const maskEditSchema = z.object({
  draftAreaPx: z.number().int(),
  pixelsAdded: z.number().int(),
  pixelsRemoved: z.number().int(),
  /** Dice between the draft and the saved mask (1: accepted unchanged). */
  dice: z.number(),
});
export type MaskEdit = z.infer<typeof maskEditSchema>;

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
  origin: maskOriginSchema.optional(),
  /** Null when the line did not start from a draft (manual, import). */
  edit: maskEditSchema.nullable().optional(),
  /** Seconds the author spent editing this line (editor focused and input coming, idle gaps cut); null when not measured. */
  activeSeconds: z.number().nullable().optional(),
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
  origin: maskOriginClaimSchema.optional(),
  /** Active editing seconds since the revision this save builds on (the editor's focus-and-input clock). */
  activeSeconds: z.number().min(0).max(MAX_ACTIVE_SECONDS_PER_SAVE).optional(),
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

/**
 * GET /api/annotation-stats: what drafts saved the annotators. Each slice counts once per annotator
 * and mask class, by its newest revision of that annotator (a "line").
 */
export const annotationStatsSchema = z.object({
  /** One row per draft source: an assist model, a suggestion model, or interpolation. */
  models: z.array(
    z.object({
      kind: z.enum(['assist', 'suggestion', 'interpolation']),
      /** `name version` (assist), the suggestion's author (`model:<name>:v<version>`), or `interpolation`. */
      model: z.string(),
      /**
       * Slices shown this source's drafts, counted once per annotator: the drafts the server handed
       * out (assist answers, interpolated drafts) or, for a suggestion model, its draft revisions.
       */
      offered: z.number().int(),
      /** Lines started from this source's drafts. */
      accepted: z.number().int(),
      /** Of those, saved exactly as drafted. */
      acceptedUnchanged: z.number().int(),
      meanDice: z.number().nullable(),
      meanPixelsAdded: z.number().nullable(),
      meanPixelsRemoved: z.number().nullable(),
      /** Median active editing seconds per slice (lines with measured seconds). */
      medianSecondsPerSlice: z.number().nullable(),
    }),
  ),
  /** Lines that started from no draft (edited imports count for their annotator only). */
  manual: z.object({ slices: z.number().int(), medianSecondsPerSlice: z.number().nullable() }),
  annotators: z.array(
    z.object({
      author: z.string(),
      slices: z.number().int(),
      fromDrafts: z.number().int(),
      /** Sum of measured active seconds over the annotator's lines. */
      activeSeconds: z.number(),
      /** Median active seconds per slice (lines with measured seconds). */
      secondsPerSlice: z.number().nullable(),
    }),
  ),
});
export type AnnotationStats = z.infer<typeof annotationStatsSchema>;

const interpolationEndSchema = z.object({ sliceId: z.uuid(), sliceIndex: z.number().int(), revisionId: z.uuid(), rle: cocoRleSchema });

/**
 * GET /api/slices/:id/mask/interpolation: the nearest slices of the same scan on either side whose
 * current mask (the requester's view) is not empty, at most MAX_INTERPOLATION_GAP apart, and the
 * slices between them. Lower or upper is null when there is none in reach (then `between` is empty).
 */
export const interpolationSourcesSchema = z.object({
  lower: interpolationEndSchema.nullable(),
  upper: interpolationEndSchema.nullable(),
  /** `draftId`: the stored interpolated draft of a slice whose mask is empty (null otherwise), for the save's origin. */
  between: z.array(z.object({ sliceId: z.uuid(), sliceIndex: z.number().int(), revisionId: z.uuid().nullable(), area: z.number().int(), draftId: z.uuid().nullable() })),
});
export type InterpolationSources = z.infer<typeof interpolationSourcesSchema>;
