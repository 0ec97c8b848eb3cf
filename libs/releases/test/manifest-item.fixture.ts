import type { ReleaseManifestItem } from '@lesionlab/contracts';

/** A valid masked manifest line; tests override the fields they are about. */
export const manifestItem = (over: Partial<ReleaseManifestItem> = {}): ReleaseManifestItem => ({
  slice_id: '00000000-0000-4000-8000-000000000001',
  patient_id: 'p1',
  split: 'train',
  supervision: 'pixel',
  label: 'covid',
  image: `images/${'a'.repeat(64)}.png`,
  image_sha256: 'a'.repeat(64),
  mask: `masks/${'b'.repeat(64)}.png`,
  mask_sha256: 'b'.repeat(64),
  mask_revision_id: '00000000-0000-4000-8000-0000000000aa',
  width: 512,
  height: 512,
  slice_index: 3,
  source: 'covid-cs',
  ...over,
});
