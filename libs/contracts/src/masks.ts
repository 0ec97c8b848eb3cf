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
});
export type MaskRevision = z.infer<typeof maskRevisionSchema>;

/** PUT /api/slices/:id/mask body; the precondition goes in If-Match / If-None-Match. */
export const saveMaskSchema = z.object({
  rle: cocoRleSchema,
  class: z.string().default(DEFAULT_MASK_CLASS),
  /** draft (autosave) or submitted (for review). */
  state: z.enum(['draft', 'submitted']).default('draft'),
});
export type SaveMask = z.infer<typeof saveMaskSchema>;
