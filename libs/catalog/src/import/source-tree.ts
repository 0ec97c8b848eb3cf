import { DomainError } from '@lesionlab/contracts';
/** A folder of files an importer reads: a server-side directory or an object-store prefix. */
export interface SourceTree {
  /** For messages and the import's `source` column. */
  readonly description: string;
  /** Every file below the root, as '/'-separated relative paths, sorted. */
  listFiles(): Promise<string[]>;
  /** Reads a file by its relative path; refuses paths that leave the root. */
  read(relativePath: string): Promise<Buffer>;
}

export class SourceRefusedError extends DomainError {
  constructor(message: string) {
    super('invalid', message, { field: 'source' });
  }
}

/** Rejects absolute paths, backslashes, NUL and '..' segments in a path relative to a source root. */
export function assertRelativeInside(relativePath: string): string[] {
  const parts = relativePath.split('/').filter((part) => part !== '' && part !== '.');
  if (relativePath.startsWith('/') || relativePath.includes('\0') || relativePath.includes('\\') || parts.length === 0 || parts.includes('..')) {
    throw new SourceRefusedError(`"${relativePath}" is not a path inside the source`);
  }
  return parts;
}

/**
 * The tree without its companions' files (a masks folder, a labels CSV) where they lie inside it, as
 * in an upload of a whole folder: they are no slices. `companions` are paths relative to the tree.
 */
export function withoutCompanions(tree: SourceTree, companions: string[]): SourceTree {
  const inside = companions.filter((location) => !location.startsWith('/')).map((location) => location.replace(/^(\.\/)+/, '').replace(/\/+$/, ''));
  if (!inside.length) return tree;
  const isCompanion = (file: string) => inside.some((location) => file === location || file.startsWith(`${location}/`));
  return {
    description: tree.description,
    listFiles: async () => (await tree.listFiles()).filter((file) => !isCompanion(file)),
    read: (relativePath) => tree.read(relativePath),
  };
}
