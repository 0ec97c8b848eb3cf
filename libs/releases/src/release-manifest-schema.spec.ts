import type { ReleaseManifestItem } from '@lesionlab/contracts';
import { PermanentJobError } from '@lesionlab/platform';
import { serializeManifest } from './release-manifest';
import { assertManifestMatchesSchema } from './release-manifest-schema';
import { manifestItem } from '../test/manifest-item.fixture';

const unmasked = { mask: null, mask_sha256: null, mask_revision_id: null };

describe('the release builder checks each manifest line against release-manifest.schema.json', () => {
  it('passes the lines a release writes, empty masks of unlabelled or negative patients included', () => {
    const manifest = serializeManifest([
      manifestItem({}),
      manifestItem({ slice_id: 's-empty-unknown', label: 'unknown' }),
      manifestItem({ slice_id: 's-empty-negative', label: 'negative' }),
      manifestItem({ slice_id: 's-patient', supervision: 'patient', ...unmasked }),
      manifestItem({ slice_id: 's-negative', supervision: 'negative', label: 'negative', ...unmasked }),
      manifestItem({ slice_id: 's-none', patient_id: null, supervision: 'none', label: 'unknown', ...unmasked, slice_index: null }),
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
    const manifest = serializeManifest([manifestItem(over)]);
    expect(() => assertManifestMatchesSchema(manifest)).toThrow(PermanentJobError);
    expect(() => assertManifestMatchesSchema(manifest)).toThrow(message);
  });

  it('names the line of the first broken item in a longer manifest', () => {
    const manifest = Buffer.concat([serializeManifest([manifestItem({}), manifestItem({ slice_id: 'z', split: 'test' })]), Buffer.from('{"slice_id":"stray"}\n')]);
    expect(() => assertManifestMatchesSchema(manifest)).toThrow(/^manifest line 3 \(slice stray\) breaks release-manifest\.schema\.json at \(top level\): must have required property/);
  });
});
