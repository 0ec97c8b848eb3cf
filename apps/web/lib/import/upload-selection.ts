import type { ImportFormat, ImportOptions } from '@lesionlab/contracts';
import type { UploadFile } from '../api';

/** The files of one upload, named by their paths inside it. */
export interface UploadSelection {
  files: UploadFile[];
  /** The first folder the person picked or dropped (taken off its files' paths), else null. */
  folder: string | null;
  bytes: number;
  /** Hidden files left out (.DS_Store, Thumbs.db, dot-folders): the system's, not the person's. */
  hidden: number;
}

const SYSTEM_FILE = /^(\.|thumbs\.db$|desktop\.ini$)/i;

export const EMPTY_SELECTION: UploadSelection = { files: [], folder: null, bytes: 0, hidden: 0 };

function clean(path: string): string {
  return path.split(/[\\/]/).filter((part) => part && part !== '.').join('/');
}

/**
 * The selection with the files of one pick or drop added. A folder shared by all of them (the folder
 * picked or dropped) is taken off their paths, so `medseg-ct100/manifest.csv` is the upload's
 * `manifest.csv` and a file added later lies beside it; a path chosen twice keeps its newest file;
 * hidden system files are left out.
 */
export function addToSelection(selection: UploadSelection, picked: UploadFile[]): UploadSelection {
  let hidden = selection.hidden;
  const kept: UploadFile[] = [];
  for (const { blob, path } of picked) {
    const cleaned = clean(path);
    if (!cleaned || cleaned.split('/').some((part) => SYSTEM_FILE.test(part))) hidden++;
    else kept.push({ blob, path: cleaned });
  }
  const tops = new Set(kept.map((file) => (file.path.includes('/') ? file.path.slice(0, file.path.indexOf('/')) : '')));
  const [top] = tops;
  const folder = tops.size === 1 && top ? top : null;
  const byPath = new Map(selection.files.map((file) => [file.path, file]));
  for (const file of kept) {
    const path = folder ? file.path.slice(folder.length + 1) : file.path;
    byPath.set(path, { blob: file.blob, path });
  }
  const files = [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
  return { files, folder: selection.folder ?? folder, bytes: files.reduce((sum, file) => sum + file.blob.size, 0), hidden };
}

/** What the files look like: the format to pick and the companions found inside the upload. */
export interface FormatGuess {
  format: ImportFormat;
  options: Pick<ImportOptions, 'masks' | 'labels'>;
  why: string;
}

const IMAGE = /\.(png|jpe?g)$/i;
const NIFTI = /\.nii(\.gz)?$/i;
const DICOM = /(\.dcm$|^[^.]+$)/i;
const MASK_FOLDER = /^(masks?|soft-masks|labels|segmentations?|ground-?truth)$/i;
const COVID_CS_NAME = /^[0-9a-f]{32}_\d{1,6}\.(jpe?g|png)$/i;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const topFolder = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : null);

/** Guesses the format of an upload from its paths (a suggestion the person can change), or null when nothing fits. */
export function guessFormat(paths: string[]): FormatGuess | null {
  if (!paths.length) return null;
  if (paths.includes('manifest.csv')) return { format: 'manifest', options: {}, why: 'manifest.csv lists the images (and their masks)' };
  const maskFolder = [...new Set(paths.map(topFolder))].find((folder) => folder !== null && MASK_FOLDER.test(folder)) ?? undefined;
  const slices = paths.filter((path) => !maskFolder || !path.startsWith(`${maskFolder}/`));
  const labels = paths.find((path) => !path.includes('/') && /\.csv$/i.test(path));
  const companions = { ...(maskFolder ? { masks: maskFolder } : {}), ...(labels ? { labels } : {}) };
  const found = [maskFolder && `masks in ${maskFolder}/`, labels && `labels in ${labels}`].filter(Boolean).join(', ');
  const also = found ? `; ${found}` : '';
  if (slices.some((path) => NIFTI.test(path))) return { format: 'nifti', options: companions, why: `NIfTI volumes${also}` };
  const images = slices.filter((path) => IMAGE.test(path));
  if (!images.length && slices.some((path) => DICOM.test(baseName(path)))) return { format: 'dicom', options: companions, why: `DICOM files${also}` };
  if (!images.length) return null;
  if (images.every((path) => COVID_CS_NAME.test(baseName(path)))) return { format: 'covid-cs', options: companions, why: `COVID-CS slice names (<patient hash>_<slice>.jpg)${also}` };
  return { format: 'images', options: companions, why: `PNG/JPEG images${also}` };
}
