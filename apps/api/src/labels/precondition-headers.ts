import type { Request } from 'express';
import { PreconditionRequiredError, type Precondition } from '@lesionlab/labels';

/** An entity tag as sent back: `"<id>"`, or weak `W/"<id>"` (compared the same way). */
const ENTITY_TAG = /^(?:W\/)?"([^"]*)"$/;

/** The revision an ETag names. */
export const entityTag = (revisionId: string) => `"${revisionId}"`;

/** Reads If-Match / If-None-Match: * into a Precondition; neither is PreconditionRequiredError (428). */
export function preconditionOf(request: Request): Precondition {
  const ifMatch = request.header('if-match')?.trim();
  if (ifMatch) return { kind: 'if-match', revisionId: ENTITY_TAG.exec(ifMatch)?.[1] ?? ifMatch };
  if (request.header('if-none-match')?.trim() === '*') return { kind: 'if-none-match' };
  throw new PreconditionRequiredError();
}
