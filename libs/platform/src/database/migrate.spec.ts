import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing';
import { DatabaseUnavailableError } from './data-source';
import { migrateDatabase } from './migrate';
import { migrations } from './migrations';

describe('migrateDatabase', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('brings an empty database to the current schema in one go, twice at once without harm', async () => {
    const [first, second] = await Promise.all([migrateDatabase(database.url), migrateDatabase(database.url)]);
    const applied = [...first, ...second];
    expect(applied.sort()).toEqual(migrations.map((m) => new m().name).sort());
    const client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('public.blobs') AS blobs, count(*)::int AS n FROM schema_migrations");
    await client.end();
    expect(rows[0]).toEqual({ blobs: 'blobs', n: migrations.length });
  });

  it('applies nothing on an up-to-date database', async () => {
    expect(await migrateDatabase(database.url)).toEqual([]);
  });

  it('names DATABASE_URL, without its password, when the database cannot be reached', async () => {
    const error = await migrateDatabase('postgres://someone:hunter2@127.0.0.1:1/nowhere').catch((e) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(error.message).toMatch(/^Cannot connect to the database at DATABASE_URL=postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere: /);
    expect(error.message).not.toContain('hunter2');
  });
});
