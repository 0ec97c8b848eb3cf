import { DomainError } from '@lesionlab/contracts';
export class InvalidCursorError extends DomainError {
  constructor() {
    super('invalid', 'cursor: not a cursor this API gave out (pass back nextCursor unchanged)');
  }
}

/** An opaque cursor: the sort key of the last row of a page, as base64url JSON. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Reads a cursor back, checking it has the shape of `kinds` ('id' = uuid, 'int' = integer). */
export function decodeCursor(cursor: string, kinds: ('id' | 'int')[]): (string | number)[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!Array.isArray(values) || values.length !== kinds.length) throw new InvalidCursorError();
  kinds.forEach((kind, i) => {
    const ok = kind === 'id' ? typeof values[i] === 'string' && uuid.test(values[i]) : Number.isInteger(values[i]);
    if (!ok) throw new InvalidCursorError();
  });
  return values as (string | number)[];
}
