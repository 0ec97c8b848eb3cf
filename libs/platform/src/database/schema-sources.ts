import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationInterface } from 'typeorm';

/**
 * Where the schema comes from. Each lib owns its tables, so platform cannot import their migrations
 * (it sits below them); the runner finds them by convention instead, under every lib:
 *
 * - `libs/<lib>/src/migrations/<13-digit timestamp>-<name>.ts`: versioned migrations, one class
 *   each, run once and in timestamp order across all libs (one linear history);
 * - `libs/<lib>/src/migrations/definitions/<name>.sql`: replaceable definitions (functions), applied
 *   after the migrations whenever their text changed since they were last applied.
 */
export const LIBS_ROOT = path.resolve(__dirname, '../../..');

const MIGRATION_FILE = /^(\d{13})-[a-z0-9-]+\.ts$/;

export type MigrationClass = new () => MigrationInterface;

export interface SchemaDefinition {
  /** `<lib>/<file>`, the key under which its last applied text is remembered. */
  name: string;
  sql: string;
  sha256: string;
}

function migrationDirs(libsRoot: string): Array<{ lib: string; dir: string }> {
  return fs
    .readdirSync(libsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ lib: entry.name, dir: path.join(libsRoot, entry.name, 'src', 'migrations') }))
    .filter(({ dir }) => fs.existsSync(dir))
    .sort((a, b) => a.lib.localeCompare(b.lib));
}

/** Every lib's migration classes, oldest first. Two files with one timestamp, or a file without exactly one class, stop it. */
export function collectMigrations(libsRoot = LIBS_ROOT): MigrationClass[] {
  const found: Array<{ timestamp: string; file: string; migration: MigrationClass }> = [];
  for (const { dir } of migrationDirs(libsRoot)) {
    for (const name of fs.readdirSync(dir)) {
      const match = MIGRATION_FILE.exec(name);
      if (!match) continue;
      const file = path.join(dir, name);
      const classes = Object.values(require(file) as Record<string, unknown>).filter(
        (value): value is MigrationClass => typeof value === 'function' && typeof value.prototype?.up === 'function',
      );
      if (classes.length !== 1) throw new Error(`${path.relative(libsRoot, file)} must export exactly one migration class, found ${classes.length}`);
      found.push({ timestamp: match[1], file, migration: classes[0] });
    }
  }
  found.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  for (let i = 1; i < found.length; i++) {
    if (found[i].timestamp === found[i - 1].timestamp) {
      throw new Error(`two migrations share the timestamp ${found[i].timestamp}: ${path.relative(libsRoot, found[i - 1].file)} and ${path.relative(libsRoot, found[i].file)}`);
    }
  }
  return found.map((f) => f.migration);
}

/** Every lib's replaceable definitions, ordered by lib, then file name. */
export function collectDefinitions(libsRoot = LIBS_ROOT): SchemaDefinition[] {
  const definitions: SchemaDefinition[] = [];
  for (const { lib, dir } of migrationDirs(libsRoot)) {
    const definitionsDir = path.join(dir, 'definitions');
    if (!fs.existsSync(definitionsDir)) continue;
    for (const name of fs.readdirSync(definitionsDir).filter((n) => n.endsWith('.sql')).sort()) {
      const sql = fs.readFileSync(path.join(definitionsDir, name), 'utf8');
      definitions.push({ name: `${lib}/${name}`, sql, sha256: createHash('sha256').update(sql).digest('hex') });
    }
  }
  return definitions;
}
