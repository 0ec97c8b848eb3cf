import { Blobs1764000000000 } from './1764000000000-blobs';

/** The one linear schema history, oldest first. An empty database runs all of it in one go. */
export const migrations = [Blobs1764000000000];
