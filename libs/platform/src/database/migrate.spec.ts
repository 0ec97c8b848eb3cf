import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../testing';
import { DatabaseUnavailableError } from './data-source';
import { migrateDatabase } from './migrate';
import { collectDefinitions, collectMigrations } from './schema-sources';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrateDatabase', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.drop());

  it('brings an empty database to the current schema in one go, twice at once without harm', async () => {
    const [first, second] = await Promise.all([migrateDatabase(database.url), migrateDatabase(database.url)]);
    const applied = [...first, ...second];
    const migrations = collectMigrations();
    expect(applied.sort()).toEqual([...migrations.map((m) => new m().name), ...collectDefinitions().map((d) => d.name)].sort());
    const rows = await query(database.url, "SELECT to_regclass('public.blobs') AS blobs, count(*)::int AS n FROM schema_migrations");
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

describe('schema sources', () => {
  let libsRoot: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(libsRoot, file)), { recursive: true });
    fs.writeFileSync(path.join(libsRoot, file), text);
  };
  const migration = (name: string, sql: string) =>
    `exports.${name} = class { constructor() { this.name = '${name}'; } async up(q) { await q.query(${JSON.stringify(sql)}); } async down() {} };`;
  beforeEach(() => {
    libsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'libs-'));
  });
  afterEach(() => fs.rmSync(libsRoot, { recursive: true, force: true }));

  it('orders migrations by timestamp across libs and refuses two with one timestamp', () => {
    write('b/src/migrations/1000000000001-first.ts', migration('First1000000000001', 'SELECT 1'));
    write('a/src/migrations/1000000000002-second.ts', migration('Second1000000000002', 'SELECT 1'));
    write('a/src/migrations/readme.md', 'not a migration');
    expect(collectMigrations(libsRoot).map((m) => new m().name)).toEqual(['First1000000000001', 'Second1000000000002']);
    write('c/src/migrations/1000000000002-again.ts', migration('Again1000000000002', 'SELECT 1'));
    expect(() => collectMigrations(libsRoot)).toThrow('two migrations share the timestamp 1000000000002: a/src/migrations/1000000000002-second.ts and c/src/migrations/1000000000002-again.ts');
  });

  it('re-applies a definition when its text changes, and names the file when it fails', async () => {
    const scratch = await createTestDatabase({ migrate: false });
    try {
      write('a/src/migrations/1000000000001-table.ts', migration('Table1000000000001', 'CREATE TABLE t (x int)'));
      write('a/src/migrations/definitions/answer.sql', 'CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;');
      expect(await migrateDatabase(scratch.url, libsRoot)).toEqual(['Table1000000000001', 'a/answer.sql']);
      expect(await migrateDatabase(scratch.url, libsRoot)).toEqual([]);
      write('a/src/migrations/definitions/answer.sql', 'CREATE OR REPLACE FUNCTION answer() RETURNS int LANGUAGE sql AS $$ SELECT 2 $$;');
      expect(await migrateDatabase(scratch.url, libsRoot)).toEqual(['a/answer.sql']);
      expect(await query(scratch.url, 'SELECT answer() AS answer')).toEqual([{ answer: 2 }]);
      write('a/src/migrations/definitions/answer.sql', 'CREATE FUNCTION broken(');
      await expect(migrateDatabase(scratch.url, libsRoot)).rejects.toThrow(/^definition a\/answer\.sql failed: /);
      expect(await query(scratch.url, 'SELECT answer() AS answer')).toEqual([{ answer: 2 }]);
    } finally {
      await scratch.drop();
    }
  });
});
