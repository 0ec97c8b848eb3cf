import { z } from 'zod';
import { cocoRleSchema } from './coco-rle';

/** The shipped LiteMedSAM; a fine-tuned model is named by its export folder in ASSIST_MODELS_DIR. */
export const SHIPPED_ASSIST_MODEL = 'shipped';

const coordinate = z.number({ message: 'expected a number' }).finite('expected a finite number');

/** A point prompt in slice pixels: `positive` includes what lies under it, otherwise excludes it. */
export const assistPointSchema = z.object({ x: coordinate, y: coordinate, positive: z.boolean() });
export type AssistPoint = z.infer<typeof assistPointSchema>;

/** POST /api/slices/:id/assist: a box [x0, y0, x1, y1] in slice pixels, optional points, optional model. */
export const assistRequestSchema = z.object({
  box: z.tuple([coordinate, coordinate, coordinate, coordinate], { message: 'expected box [x0, y0, x1, y1]' }),
  points: z.array(assistPointSchema).max(32, 'at most 32 points').optional(),
  /** `shipped` (default) or a fine-tuned model's assist export (a folder of ASSIST_MODELS_DIR), as GET /api/assist/models lists them. */
  model: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a model id as GET /api/assist/models lists them')
    .default(SHIPPED_ASSIST_MODEL),
});
export type AssistRequest = z.input<typeof assistRequestSchema>;
export type AssistPrompt = z.output<typeof assistRequestSchema>;

export const assistModelRefSchema = z.object({ name: z.string(), version: z.string() });
export type AssistModelRef = z.infer<typeof assistModelRefSchema>;

/** The draft: a mask of the slice's size (COCO RLE), the model's own quality estimate, who drew it, how long it took. */
export const assistResponseSchema = z.object({
  rle: cocoRleSchema,
  /** The mask decoder's predicted IoU of this draft (0–1). */
  score: z.number(),
  model: assistModelRefSchema,
  /** Server time for this prompt, milliseconds (the image encoder only runs on a slice's first prompt). */
  ms: z.number(),
  /** The stored draft: a save that starts from it names this id in its origin. */
  draftId: z.uuid(),
});
export type AssistResponse = z.infer<typeof assistResponseSchema>;

/** GET /api/assist/models: what the editor offers to pick from. */
export const assistModelSchema = assistModelRefSchema.extend({ id: z.string() });
export type AssistModel = z.infer<typeof assistModelSchema>;
export const assistModelListSchema = z.object({ items: z.array(assistModelSchema) });
export type AssistModelList = z.infer<typeof assistModelListSchema>;

/** POST /api/slices/:id/assist/prepare: which model's embedding to compute ahead of the first box. */
export const assistPrepareSchema = assistRequestSchema.pick({ model: true });
