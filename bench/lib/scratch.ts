// Shared by the proof and load scripts: a scratch database of their own, and where results go.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '../../libs/platform/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureLocalPostgres } = require('../../infra/scripts/lib/services');

/**
 * Runs `work` against a fresh, migrated database, dropped afterwards: on the machine's PostgreSQL, or
 * on `adminUrl`'s server (a private one a proof started).
 */
export async function withScratchDatabase<T>(work: (databaseUrl: string) => Promise<T>, adminUrl?: string): Promise<T> {
  const database = await createTestDatabase({ adminUrl: adminUrl ?? (await ensureLocalPostgres()) });
  try {
    return await work(database.url);
  } finally {
    await database.drop();
  }
}

/** Prints the result as JSON and writes bench/results/<name>.json. */
export function report(name: string, result: unknown): void {
  const text = JSON.stringify(result, null, 2);
  process.stdout.write(`${text}\n`);
  mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
  writeFileSync(join(__dirname, '..', 'results', `${name}.json`), `${text}\n`);
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
