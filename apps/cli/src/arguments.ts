import { InvalidArgumentError } from 'commander';

/** A commander argument parser: a whole number ≥ 1, or a usage error naming the value. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}"`);
  return n;
}

/** A commander argument parser for instants: ISO 8601 dates or date-times. */
export function isoDate(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError(`expected an ISO 8601 date such as 2026-12-01 or 2026-12-01T08:00:00Z, got "${value}"`);
  return value;
}
