import { z } from 'zod';

/**
 * Every error leaves the API as application/problem+json (RFC 9457). Validation failures add
 * `errors` (one line per bad field); a stale mask save (409) adds `current` and `kept`.
 */
export const problemDetailsSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    /** What went wrong, in words a person can act on. */
    detail: z.string(),
    instance: z.string().optional(),
    /** The request id the API logged the request under. */
    requestId: z.string().optional(),
    errors: z.array(z.string()).optional(),
  })
  .catchall(z.unknown());
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
