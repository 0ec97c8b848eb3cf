import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  NotFoundException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { NotFoundError, PreconditionRequiredError, ReviewConflictError, ReviewTransitionError, RevisionConflictError, SelfReviewError } from '@lesionlab/labels';
import { MaskFormatError } from '@lesionlab/mask';

/** Turns the labels library's errors into HTTP errors (rendered as problem+json by the global filter). */
export function toHttpError(error: unknown): unknown {
  if (error instanceof NotFoundError) return new NotFoundException(error.message);
  if (error instanceof MaskFormatError) return new BadRequestException(`rle: ${error.message}`);
  if (error instanceof PreconditionRequiredError) return new HttpException(error.message, HttpStatus.PRECONDITION_REQUIRED);
  if (error instanceof RevisionConflictError) return new ConflictException({ message: error.message, current: error.current, kept: error.kept });
  if (error instanceof SelfReviewError) return new ForbiddenException(error.message);
  if (error instanceof ReviewConflictError || error instanceof ReviewTransitionError) return new ConflictException(error.message);
  return error;
}

@Injectable()
export class LabelsErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw toHttpError(error);
      }),
    );
  }
}
