import fs from 'node:fs';
import path from 'node:path';
import { manifestDigest, parseManifest, serializeManifest } from './release-manifest';
import { manifestItem } from '../test/manifest-item.fixture';

describe('release manifest', () => {
  const items = [
    manifestItem({ slice_id: '00000000-0000-4000-8000-000000000003', split: 'test', patient_id: 'p2' }),
    manifestItem({ slice_id: '00000000-0000-4000-8000-000000000002', slice_index: 1 }),
    manifestItem({ slice_id: '00000000-0000-4000-8000-000000000004', split: 'val', patient_id: null, supervision: 'none', label: 'unknown', mask: null, mask_sha256: null, mask_revision_id: null }),
  ];

  it('is byte-identical whatever the order of the items, and so is its digest', () => {
    const a = serializeManifest(items);
    const b = serializeManifest([...items].reverse());
    expect(Buffer.compare(a, b)).toBe(0);
    expect(manifestDigest(a)).toBe(manifestDigest(b));
    expect(manifestDigest(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('orders by split, patient and slice index, one JSON object per line, and reads back', () => {
    const lines = serializeManifest(items).toString().trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).split)).toEqual(['train', 'val', 'test']);
    expect(Object.keys(JSON.parse(lines[0]))[0]).toBe('slice_id');
    expect(parseManifest(serializeManifest(items))).toHaveLength(3);
  });

  it('writes only the fields of the JSON Schema the trainer validates against', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../contracts/schemas/release-manifest.schema.json'), 'utf8'));
    const line = JSON.parse(serializeManifest([items[0]]).toString());
    expect(Object.keys(line).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const key of schema.required as string[]) expect(line).toHaveProperty(key);
  });
});
