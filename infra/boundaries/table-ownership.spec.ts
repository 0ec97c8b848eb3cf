import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { crossDomainTableReads, tableOwners } from './table-ownership';

const ROOT = resolve(__dirname, '../..');

describe('table ownership in the workspace', () => {
  it('knows each domain table by the lib whose migrations create it', () => {
    const owners = tableOwners(ROOT);
    expect([owners.get('slices'), owners.get('mask_revisions'), owners.get('release_items'), owners.get('runs')]).toEqual(['catalog', 'labels', 'releases', 'training']);
    expect(owners.has('blobs')).toBe(false);
  });

  // A cross-domain read fails here, naming the file and line: read the owner's published view or call
  // its published function instead.
  it('reads another domain only through what it publishes', () => {
    expect(crossDomainTableReads(ROOT)).toEqual([]);
  });
});

describe('the table ownership check', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(os.tmpdir(), 'tables-'));
    write('libs/platform/src/migrations/1-blobs.ts', "q.query('CREATE TABLE blobs (sha256 char(64))');");
    write('libs/catalog/src/migrations/2-slices.ts', "q.query('CREATE TABLE IF NOT EXISTS slices (id uuid)');");
    write('libs/catalog/src/migrations/definitions/slice-facts.sql', 'CREATE VIEW slice_facts AS SELECT id FROM slices;');
    write('libs/labels/src/migrations/3-masks.ts', "q.query('CREATE TABLE mask_revisions (id uuid, slice_id uuid)');");
    write('libs/labels/src/masks.repository.ts', "import { x } from 'y';\nexport const q = `SELECT r.id FROM mask_revisions r JOIN slice_facts s ON s.id = r.slice_id JOIN blobs b ON true`;");
    write('libs/labels/src/masks.repository.spec.ts', "export const seed = 'INSERT INTO slices (id) VALUES (1)';");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('passes a lib that reads its own tables, platform tables and another lib\'s view; tests may seed any table', () => {
    expect(crossDomainTableReads(root)).toEqual([]);
  });

  it('finds a read, a write or an entity on another lib\'s table, in code and in SQL definitions', () => {
    write('libs/labels/src/slices.ts', "export const a = 'SELECT id FROM slices';\n\nexport const b = `UPDATE slices SET x = 1`;\n@Entity('slices') class S {}");
    write('libs/labels/src/migrations/definitions/save.sql', 'SELECT 1 FROM mask_revisions r\n  JOIN slices s ON s.id = r.slice_id;');
    expect(crossDomainTableReads(root)).toEqual([
      { file: 'libs/labels/src/slices.ts', line: 1, table: 'slices', owner: 'catalog' },
      { file: 'libs/labels/src/slices.ts', line: 3, table: 'slices', owner: 'catalog' },
      { file: 'libs/labels/src/slices.ts', line: 4, table: 'slices', owner: 'catalog' },
      { file: 'libs/labels/src/migrations/definitions/save.sql', line: 2, table: 'slices', owner: 'catalog' },
    ]);
  });

  it('refuses a table that two libs create', () => {
    write('libs/labels/src/migrations/4-slices.ts', "q.query('CREATE TABLE slices (id uuid)');");
    expect(() => tableOwners(root)).toThrow('table slices is created by both catalog and labels');
  });
});
