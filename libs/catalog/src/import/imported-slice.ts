import type { ImportFailure, ImportFormat, ImportOptions, PatientLabel } from '@lesionlab/contracts';
import type { CocoRle } from '@lesionlab/mask';
import type { DecodeLimits } from '../pixels/decode-limits';
import type { GreyImage } from '@lesionlab/platform';
import type { EncodedSlice } from '../pixels/slice-encoding';
import type { DisplayWindow } from '../pixels/thumbnail';
import type { SourceTree } from './source-tree';

/** A decoded slice, as an importer hands it to the writer. */
export interface ImportedSlice {
  patient: { externalId: string; label?: PatientLabel; metadata?: Record<string, unknown> };
  scan: {
    seriesKey: string;
    studyUid?: string | null;
    seriesUid?: string | null;
    sliceSpacingMm?: number | null;
    pixelSpacingMm?: [number, number] | null;
    metadata?: Record<string, unknown>;
  };
  sliceIndex: number;
  image: GreyImage;
  rescaleSlope: number;
  rescaleIntercept: number;
  window: DisplayWindow | null;
  /** The source file, kept when pixels were converted (colour to grey). */
  original: { bytes: Buffer; mediaType: string } | null;
  sourceName: string;
  /** The slice's lesion mask, if the source has one. */
  mask: CocoRle | null;
  /** What is stored of the pixels, when the importer encoded them already (with the decoding, on a pixel worker); else the runner does. */
  encoded?: EncodedSlice;
}

/** A decoded slice with what is stored of its pixels, ready for the writer. */
export interface EncodedImportedSlice extends ImportedSlice {
  encoded: EncodedSlice;
}

/** One source file (with its mask, if any); loading it may fail, and the failure names `file`. */
export interface SourceUnit {
  file: string;
  load(): Promise<ImportedSlice[]>;
}

export interface ImportPlan {
  units: SourceUnit[];
  /** Files refused before decoding (a name outside the layout, a manifest row without an image …). */
  failures: ImportFailure[];
}

export interface ImportContext {
  tree: SourceTree;
  /** The file the source path named, when it named a file (a manifest). */
  entry: string | null;
  masks: SourceTree | null;
  options: ImportOptions;
  limits: DecodeLimits;
}

export interface Importer {
  readonly format: ImportFormat;
  plan(context: ImportContext): Promise<ImportPlan>;
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
