import fs from 'node:fs/promises';
import path from 'node:path';
import { checkVolumeBytes, type DecodeLimits } from '../pixels/decode-limits';
import { assertRelativeInside, SourceRefusedError, type SourceTree } from './source-tree';

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves a requested path against the allowed roots: refuses '..' segments outright, then
 * resolves symlinks and checks that the real path still lies inside a (real) allowed root.
 */
export async function confinePath(requested: string, allowedRoots: readonly string[]): Promise<string> {
  if (requested.includes('\0')) throw new SourceRefusedError('the path contains a NUL byte');
  if (requested.split(/[\\/]/).includes('..')) throw new SourceRefusedError(`"${requested}" contains "..": give a path without it`);
  if (!path.isAbsolute(requested)) throw new SourceRefusedError(`"${requested}" is not an absolute path`);
  let real: string;
  try {
    real = await fs.realpath(requested);
  } catch {
    throw new SourceRefusedError(`"${requested}" does not exist or cannot be read`);
  }
  for (const root of allowedRoots) {
    const realRoot = await fs.realpath(root).catch(() => null);
    if (realRoot && isInside(realRoot, real)) return real;
  }
  throw new SourceRefusedError(`"${requested}" is outside the folders imports may read (IMPORT_ALLOWED_ROOTS: ${allowedRoots.join(', ')})`);
}

/**
 * A directory on the server, already confined by confinePath; files that link outside it are
 * refused, and so are files larger than IMPORT_MAX_VOLUME_BYTES (before they are read).
 */
export class LocalSourceTree implements SourceTree {
  readonly description: string;

  constructor(
    private readonly root: string,
    private readonly limits: DecodeLimits,
  ) {
    this.description = root;
  }

  static async open(requested: string, allowedRoots: readonly string[], limits: DecodeLimits): Promise<LocalSourceTree> {
    const real = await confinePath(requested, allowedRoots);
    if (!(await fs.stat(real)).isDirectory()) throw new SourceRefusedError(`"${requested}" is not a folder`);
    return new LocalSourceTree(real, limits);
  }

  async listFiles(): Promise<string[]> {
    const entries = await fs.readdir(this.root, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
      .sort();
  }

  async read(relativePath: string): Promise<Buffer> {
    const target = path.join(this.root, ...assertRelativeInside(relativePath));
    const real = await fs.realpath(target);
    if (!isInside(this.root, real)) throw new SourceRefusedError(`"${relativePath}" links outside the source folder`);
    const file = await fs.open(real);
    try {
      checkVolumeBytes((await file.stat()).size, 'the file', this.limits);
      return await file.readFile();
    } finally {
      await file.close();
    }
  }
}
