import { BadRequestException, NotFoundException } from '@nestjs/common';
import { TrainingNotFoundError, UnusableReleaseError } from '@lesionlab/training';

/** The training lib's errors as HTTP answers: 404 for what does not exist, 400 for an unusable release. */
export function httpError(error: unknown): never {
  if (error instanceof TrainingNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof UnusableReleaseError) throw new BadRequestException(error.message);
  throw error;
}
