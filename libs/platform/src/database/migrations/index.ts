import { Blobs1764000000000 } from './1764000000000-blobs';
import { CatalogAndMasks1764100000000 } from './1764100000000-catalog-and-masks';

/** The one linear schema history, oldest first. An empty database runs all of it in one go. */
export const migrations = [Blobs1764000000000, CatalogAndMasks1764100000000];
