import { dataSourceOptions, openDataSource } from './data-source';

/** An arbitrary, fixed key: only one process migrates at a time when api and worker start together. */
const MIGRATION_LOCK_KEY = 0x1e5104;

/** Brings the database to the current schema and returns the names of the migrations it applied. */
export async function migrateDatabase(databaseUrl: string): Promise<string[]> {
  const dataSource = await openDataSource({ ...dataSourceOptions(databaseUrl, 2), url: databaseUrl });
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
