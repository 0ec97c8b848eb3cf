import { UnrecoverableError } from 'bullmq';
import { DomainError, DOMAIN_ERROR_STATUS, type DomainErrorKind } from '@lesionlab/contracts';
import { isPermanentJobFailure, toQueueFailure } from './job-failure';

describe('toQueueFailure', () => {
  it.each(['invalid', 'not-found', 'forbidden', 'precondition', 'conflict'] as const)('makes a %s DomainError final, keeping its detail', (kind) => {
    const failure = toQueueFailure(new DomainError(kind, 'release r1 is building'));
    expect(failure).toBeInstanceOf(UnrecoverableError);
    expect((failure as Error).message).toBe('release r1 is building');
    expect(isPermanentJobFailure(failure)).toBe(true);
  });

  it('prefixes the field, as the API does', () => {
    expect((toQueueFailure(new DomainError('invalid', 'not COCO RLE', { field: 'rle' })) as Error).message).toBe('rle: not COCO RLE');
  });

  it('keeps an unavailable DomainError and an unexpected error as they are, so the queue retries them', () => {
    const down = new DomainError('unavailable', 'object storage did not answer');
    const crash = new TypeError('x is undefined');
    expect(toQueueFailure(down)).toBe(down);
    expect(toQueueFailure(crash)).toBe(crash);
    expect(isPermanentJobFailure(down)).toBe(false);
    expect(isPermanentJobFailure(crash)).toBe(false);
  });

  it('counts an UnrecoverableError thrown by a job as final', () => {
    expect(isPermanentJobFailure(new UnrecoverableError('the trainer exited with code 2'))).toBe(true);
  });

  it('decides every kind there is', () => {
    const kinds = Object.keys(DOMAIN_ERROR_STATUS) as DomainErrorKind[];
    expect(kinds.filter((kind) => isPermanentJobFailure(new DomainError(kind, 'x'))).sort()).toEqual(['conflict', 'forbidden', 'invalid', 'not-found', 'precondition']);
  });
});
