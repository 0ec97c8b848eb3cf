import type { ReleaseManifestItem } from '@lesionlab/contracts';
import { PermanentJobError } from '@lesionlab/platform';
import { serializeManifest } from './release-manifest';
import { assertManifestMatchesSchema } from './release-manifest-schema';

const item = (over: Partial<ReleaseManifestItem>): ReleaseManifestItem => ({
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

const unmasked = { mask: null, mask_sha256: null, mask_revision_id: null };

describe('the release builder checks each manifest line against release-manifest.schema.json', () => {
  it('passes the lines a release writes, empty masks of unlabelled or negative patients included', () => {
    const manifest = serializeManifest([
      item({}),
      item({ slice_id: 's-empty-unknown', label: 'unknown' }),
      item({ slice_id: 's-empty-negative', label: 'negative' }),
      item({ slice_id: 's-patient', supervision: 'patient', ...unmasked }),
      item({ slice_id: 's-negative', supervision: 'negative', label: 'negative', ...unmasked }),
      item({ slice_id: 's-none', patient_id: null, supervision: 'none', label: 'unknown', ...unmasked, slice_index: null }),
    ]);
    expect(() => assertManifestMatchesSchema(manifest)).not.toThrow();
  });

  it.each([
    [{ slice_id: 'pixel-without-mask', ...unmasked }, 'manifest line 1 (slice pixel-without-mask) breaks release-manifest.schema.json at /mask: must be string'],
    [{ slice_id: 'patient-unknown', supervision: 'patient', label: 'unknown', ...unmasked }, 'manifest line 1 (slice patient-unknown) breaks release-manifest.schema.json at /label: must be equal to one of the allowed values ("covid", "negative")'],
    [{ slice_id: 'negative-covid', supervision: 'negative', ...unmasked }, 'manifest line 1 (slice negative-covid) breaks release-manifest.schema.json at /label: must be equal to constant ("negative")'],
    [{ slice_id: 'bad-hash', image_sha256: 'Z'.repeat(64) }, 'manifest line 1 (slice bad-hash) breaks release-manifest.schema.json at /image_sha256: must match pattern "^[0-9a-f]{64}$"'],
    [{ slice_id: 'escaping', image: '../etc/passwd' }, 'manifest line 1 (slice escaping) breaks release-manifest.schema.json at /image: must match pattern'],
  ] as Array<[Partial<ReleaseManifestItem>, string]>)('refuses a deliberately broken line, naming the slice and the rule: %j', (over, message) => {
    const manifest = serializeManifest([item(over)]);
    expect(() => assertManifestMatchesSchema(manifest)).toThrow(PermanentJobError);
    expect(() => assertManifestMatchesSchema(manifest)).toThrow(message);
  });

  it('names the line of the first broken item in a longer manifest', () => {
    const manifest = Buffer.concat([serializeManifest([item({}), item({ slice_id: 'z', split: 'test' })]), Buffer.from('{"slice_id":"stray"}\n')]);
    expect(() => assertManifestMatchesSchema(manifest)).toThrow(/^manifest line 3 \(slice stray\) breaks release-manifest\.schema\.json at \(top level\): must have required property/);
  });
});
