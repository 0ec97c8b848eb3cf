import { createHash } from 'node:crypto';
import type { ReleaseManifestItem } from '@lesionlab/contracts';

/** The key order of every manifest line: fixed, so the same items always give the same bytes. */
const KEYS: (keyof ReleaseManifestItem)[] = [
  'slice_id',
  'patient_id',
  'split',
  'supervision',
  'label',
  'image',
  'image_sha256',
  'mask',
  'mask_sha256',
  'mask_revision_id',
  'width',
  'height',
  'slice_index',
  'source',
];

const SPLIT_ORDER = { train: 0, val: 1, test: 2 } as const;

function compare(a: ReleaseManifestItem, b: ReleaseManifestItem): number {
  return (
    SPLIT_ORDER[a.split] - SPLIT_ORDER[b.split] ||
    (a.patient_id ?? '').localeCompare(b.patient_id ?? '') ||
    (a.slice_index ?? -1) - (b.slice_index ?? -1) ||
    (a.slice_id < b.slice_id ? -1 : a.slice_id > b.slice_id ? 1 : 0)
  );
}

/** Release files live under their content hash, so a materialised release is a content-addressed tree. */
export function imagePath(sha256: string): string {
  return `images/${sha256}.png`;
}

export function maskPath(sha256: string): string {
  return `masks/${sha256}.png`;
}

/** JSON lines, sorted by split, patient, slice index and id; byte-identical for the same items. */
export function serializeManifest(items: ReleaseManifestItem[]): Buffer {
  const lines = [...items].sort(compare).map((item) => JSON.stringify(Object.fromEntries(KEYS.map((key) => [key, item[key]]))));
  return Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8');
}

/** The release digest: sha256 over the sorted manifest. */
export function manifestDigest(manifest: Buffer): string {
  return createHash('sha256').update(manifest).digest('hex');
}

export function parseManifest(bytes: Buffer | string): ReleaseManifestItem[] {
  return bytes
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReleaseManifestItem);
}
