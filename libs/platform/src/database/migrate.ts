import type { DataSource } from 'typeorm';
import { dataSourceOptions, openDataSource } from './data-source';
import { collectDefinitions, collectMigrations, LIBS_ROOT } from './schema-sources';

/** An arbitrary, fixed key: only one process migrates at a time when api and worker start together. */
const MIGRATION_LOCK_KEY = 0x1e5104;

/**
 * Brings the database to the current schema: every lib's pending migrations in timestamp order, then
 * every definition whose text changed (see schema-sources.ts). Returns the names of what it applied.
 */
export async function migrateDatabase(databaseUrl: string, libsRoot = LIBS_ROOT): Promise<string[]> {
  const migrations = collectMigrations(libsRoot);
  const dataSource = await openDataSource({ ...dataSourceOptions(databaseUrl, 2), migrations, url: databaseUrl });
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const defined = await applyDefinitions(dataSource, libsRoot);
    return [...applied.map((m) => m.name), ...defined];
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}

/** Applies each definition whose text differs from the one last applied, each in its own transaction. */
async function applyDefinitions(dataSource: DataSource, libsRoot: string): Promise<string[]> {
  await dataSource.query(`CREATE TABLE IF NOT EXISTS schema_definitions (
    name text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const rows: Array<{ name: string; sha256: string }> = await dataSource.query('SELECT name, sha256 FROM schema_definitions');
  const applied = new Map(rows.map((r) => [r.name, r.sha256]));
  const changed = collectDefinitions(libsRoot).filter((d) => applied.get(d.name) !== d.sha256);
  for (const definition of changed) {
    await dataSource.transaction(async (manager) => {
      await manager.query(definition.sql).catch((error: Error) => {
        throw new Error(`definition ${definition.name} failed: ${error.message}`, { cause: error });
      });
      await manager.query(
        `INSERT INTO schema_definitions (name, sha256) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()`,
        [definition.name, definition.sha256],
      );
    });
  }
  return changed.map((d) => d.name);
}
