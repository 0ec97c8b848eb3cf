import type { CocoRle } from '@lesionlab/contracts';

/** A mask an importer found beside a slice (a `.png` with the same stem, a NIfTI label volume …). */
export interface ImportedMask {
  sliceId: string;
  rle: CocoRle;
  /**
   * The slice's stored values as the importer decoded them (row-major, little-endian, the slice's
   * bit depth): spares the recorder reading the pixel blob back to find the lung field.
   */
  pixels?: Buffer;
}

/**
 * Where importers hand the masks they find. The labels library implements it: each mask becomes an
 * `import` revision of its slice (once: importing again adds nothing), with its derived lesion facts,
 * and the slice's supervision kind follows. Catalog code depends on this port, never on labels.
 */
export interface ImportedMaskRecorder {
  /** Returns how many revisions were new. */
  recordImportedMasks(masks: ImportedMask[], importId: string): Promise<number>;
}

export const IMPORTED_MASK_RECORDER = Symbol('IMPORTED_MASK_RECORDER');
