import { BadRequestException, NotFoundException } from '@nestjs/common';
import { InvalidCursorError, SourceRefusedError } from '@lesionlab/catalog';

/** Turns the catalog's refusals into 4xx problems; anything else stays a 500. */
export function asHttpError(error: unknown): unknown {
  if (error instanceof SourceRefusedError) return new BadRequestException(`source: ${error.message}`);
  if (error instanceof InvalidCursorError) return new BadRequestException(error.message);
  if ((error as { name?: string })?.name === 'ObjectNotFoundError') return new NotFoundException('the stored object is missing');
  return error;
}
