import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isTestFile, sourceFiles } from './module-boundaries';

/**
 * Each domain lib owns the tables its migrations create; another lib reads them through a view the owner
 * publishes (a `CREATE VIEW` in its migrations or definitions), a function it publishes (e.g. catalog's
 * lock_slice) or its exported API. This finds the SQL in a lib's code that names a table of another
 * lib. Platform's tables (blobs, users, ...) are mechanisms every layer above may use, so only domain
 * libs' tables count as owned.
 */
export interface TableRead {
  file: string;
  line: number;
  table: string;
  owner: string;
}

const CREATE_TABLE = /CREATE TABLE\s+(?:IF NOT EXISTS\s+)?([a-z_][a-z0-9_]*)/g;
// SQL keywords are written in capitals in this code base, so `import … from '…'` and prose do not match.
const TABLE_REFERENCE = /\b(?:FROM|JOIN|UPDATE|INTO)\s+([a-z_][a-z0-9_]*)\b|@Entity\(\s*['"]([a-z_][a-z0-9_]*)['"]/g;

const migrationFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? migrationFiles(join(dir, entry.name)) : /\.(ts|sql)$/.test(entry.name) ? [join(dir, entry.name)] : [],
      )
    : [];

const domainLibs = (root: string) =>
  readdirSync(join(root, 'libs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'libs', entry.name, 'src', 'migrations')))
    .map((entry) => entry.name);

/** Table name → the lib whose migrations create it (platform's tables left out: see above). */
export function tableOwners(root: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const lib of domainLibs(root).filter((name) => name !== 'platform')) {
    for (const file of migrationFiles(join(root, 'libs', lib, 'src', 'migrations'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(CREATE_TABLE)) {
        const earlier = owners.get(match[1]);
        if (earlier && earlier !== lib) throw new Error(`table ${match[1]} is created by both ${earlier} and ${lib}`);
        owners.set(match[1], lib);
      }
    }
  }
  return owners;
}

/**
 * Every place a lib's non-test code and SQL definitions name a table another lib owns. Versioned
 * migrations are left out: they are history, and run before any view exists.
 */
export function crossDomainTableReads(root: string): TableRead[] {
  const owners = tableOwners(root);
  const reads: TableRead[] = [];
  for (const lib of readdirSync(join(root, 'libs'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)) {
    const migrations = join(root, 'libs', lib, 'src', 'migrations');
    const definitions = existsSync(join(migrations, 'definitions'))
      ? readdirSync(join(migrations, 'definitions')).filter((name) => name.endsWith('.sql')).map((name) => join(migrations, 'definitions', name))
      : [];
    for (const path of [...sourceFiles(join(root, 'libs', lib)).filter((source) => !source.startsWith(migrations + sep)), ...definitions]) {
      const file = relative(root, path).split(sep).join('/');
      if (isTestFile(file)) continue;
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((text, index) => {
          for (const match of text.matchAll(TABLE_REFERENCE)) {
            const table = match[1] ?? match[2] ?? '';
            const owner = owners.get(table);
            if (owner && owner !== lib) reads.push({ file, line: index + 1, table, owner });
          }
        });
    }
  }
  return reads;
}
