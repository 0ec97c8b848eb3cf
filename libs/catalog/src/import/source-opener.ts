import fs from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { ImportSource } from '@lesionlab/contracts';
import { CONFIG, OBJECT_STORAGE, type Config, type ObjectStorage } from '@lesionlab/platform';
import { decodeLimitsOf, type DecodeLimits } from '../pixels/decode-limits';
import { confinePath, LocalSourceTree } from './local-source';
import { ObjectSourceTree } from './object-source';
import type { SourceTree } from './source-tree';

export interface OpenedSource {
  tree: SourceTree;
  /** The file the source named, relative to the tree (a manifest), or null for a folder. */
  entry: string | null;
}

/** Opens import sources: server paths confined to IMPORT_ALLOWED_ROOTS, or object-store prefixes. */
@Injectable()
export class SourceOpener {
  /** Also bounds every file a tree reads (IMPORT_MAX_VOLUME_BYTES). */
  readonly limits: DecodeLimits;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {
    this.limits = decodeLimitsOf(config);
  }

  async open(source: ImportSource): Promise<OpenedSource> {
    if (source.kind === 's3') return { tree: new ObjectSourceTree(this.storage, source.prefix, this.limits), entry: null };
    const real = await confinePath(source.path, this.config.importRoots);
    if ((await fs.stat(real)).isDirectory()) return { tree: new LocalSourceTree(real, this.limits), entry: null };
    return { tree: await LocalSourceTree.open(path.dirname(real), this.config.importRoots, this.limits), entry: path.basename(real) };
  }

  /** A companion location (masks folder, labels CSV): absolute, or relative to the main source's folder. */
  async companion(source: ImportSource, location: string): Promise<ImportSource> {
    if (source.kind === 's3') return { kind: 's3', prefix: location.startsWith('/') ? location.slice(1) : `${source.prefix.replace(/\/+$/, '')}/${location}` };
    if (path.isAbsolute(location)) return { kind: 'path', path: location };
    const isFile = await fs.stat(source.path).then((stat) => stat.isFile(), () => false);
    return { kind: 'path', path: path.join(isFile ? path.dirname(source.path) : source.path, location) };
  }

  describe(source: ImportSource): string {
    return source.kind === 's3' ? `${this.storage.driver}:${source.prefix}` : source.path;
  }
}
