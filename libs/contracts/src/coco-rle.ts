import { z } from 'zod';

/** COCO compressed RLE, column-major: `size` is [height, width]. */
export const cocoRleSchema = z.object({
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  counts: z.string(),
});
export type CocoRle = z.infer<typeof cocoRleSchema>;
