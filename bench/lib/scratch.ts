// Shared by the proof and load scripts: a scratch database of their own, and where results go.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrateDatabase } from '../../libs/platform/src';
import { uniqueName } from '../../libs/platform/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureLocalPostgres } = require('../../infra/scripts/lib/services');

/** Runs `work` against a fresh, migrated database on the machine's PostgreSQL, dropped afterwards. */
export async function withScratchDatabase<T>(work: (databaseUrl: string) => Promise<T>): Promise<T> {
  const adminUrl: string = await ensureLocalPostgres();
  const name = uniqueName('llproof');
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    await migrateDatabase(url.toString());
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
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
