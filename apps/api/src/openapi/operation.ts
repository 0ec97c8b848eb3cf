import type { z } from 'zod';

/** The error answers (application/problem+json) an operation documents; see components.responses. */
export const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 415, 428, 429, 503] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

export const TAGS = {
  health: 'Liveness of the database, the queue and the object store.',
  objects: 'The fs storage driver’s presigned object URLs (the signature is the authorisation).',
  auth: 'Sign-in, sessions and the caller’s API tokens.',
  users: 'Accounts and roles (admins).',
  audit: 'The append-only log of every change.',
  catalog: 'Patients, slices and their pixels.',
  imports: 'Bringing data sets into the catalog.',
  masks: 'Lesion masks: revisions, facts and saves.',
  labels: 'Patient and slice labels.',
  review: 'Accepting or rejecting submissions, and agreement between annotators.',
  releases: 'Immutable, versioned data set releases and their exports.',
  runs: 'Training runs.',
  models: 'Registered models, evaluations, predictions and suggestions.',
  assist: 'AI assist in the mask editor.',
} as const;
export type Tag = keyof typeof TAGS;

/** A JSON answer: the schema of its body and an example of it. */
interface JsonSuccess<R extends z.ZodType> {
  status: 200 | 201 | 202;
  description: string;
  schema: R;
  example: z.output<R>;
  headers?: Record<string, string>;
}

/** An answer whose body is not JSON (images, raw pixels, archives, streams). */
interface MediaSuccess {
  status: 200;
  description: string;
  media: string;
  /** Names the contracts schema that each unit of a stream follows (e.g. each server-sent event). */
  itemSchema?: string;
  headers?: Record<string, string>;
}

interface EmptySuccess {
  status: 204 | 302;
  description: string;
  headers?: Record<string, string>;
}

export type Success = JsonSuccess<z.ZodType> | MediaSuccess | EmptySuccess;

export interface Operation {
  operationId: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Path parameters other than a UUID `:id` (which every route with `:id` has). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the operation reads (preconditions). */
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; example: unknown; description?: string };
  /** A second request form: multipart/form-data (uploads). */
  multipart?: { schema: z.ZodType; description: string };
  /** A raw request body (binary uploads to presigned URLs). */
  rawBody?: { media: string; description: string };
  /** A 503 that carries the success answer's schema (health: which component is down) instead of a problem. */
  degraded?: string;
  /** The success answer; `never` for routes that exist only to refuse (and say why). */
  success: Success | { never: string };
  errors: readonly ErrorStatus[];
}

/** Type-checks a JSON operation's examples against its schemas. */
export function json<B extends z.ZodType, R extends z.ZodType>(
  operation: Omit<Operation, 'body' | 'success'> & {
    body?: { schema: B; example: z.input<B>; description?: string };
    success: JsonSuccess<R>;
  },
): Operation {
  return operation;
}
