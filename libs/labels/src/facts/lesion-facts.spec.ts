import { encodeCocoRle, parseCocoRle, type BinaryMask } from '@lesionlab/mask';
import { syntheticChest, ellipseMask } from '../../test/slice-fixtures';
import { deriveMaskFacts, MIN_LESION_PX } from './lesion-facts';
import { estimateLungField } from './lung-field';

const rleOf = (mask: BinaryMask) => parseCocoRle(encodeCocoRle(mask));

describe('estimateLungField and deriveMaskFacts', () => {
  const side = 120;
  const field = estimateLungField({ width: side, height: side, values: Float32Array.from(syntheticChest(side, side)) });

  it('finds both lungs of a chest slice and nothing in a blank image', () => {
    // Lungs span 19%–81% of the width and 30%–70% of the height of the synthetic chest.
    expect(field?.lungBox).toEqual({ x: 23, y: 36, width: 74, height: 48 });
    expect(field?.midlineX).toBe(60);
    expect(estimateLungField({ width: side, height: side, values: new Float32Array(side * side) })).toBeNull();
  });

  it('counts lesions above the speck size, measures them in px and mm², and locates them', () => {
    const data = new Uint8Array(side * side);
    const paint = (blob: Uint8Array) => blob.forEach((v, i) => (data[i] |= v));
    paint(ellipseMask(side, side, 35, 40, 5, 3)); // image left, top of the lung field → patient's right, upper
    paint(ellipseMask(side, side, 85, 78, 4, 4)); // image right, bottom → patient's left, lower
    data[60 * side + 60] = 1; // a one-pixel speck
    const facts = deriveMaskFacts(rleOf({ width: side, height: side, data }), field, [0.5, 0.8]);

    expect(facts.lesionCount).toBe(2);
    expect(facts.speckCount).toBe(1);
    expect(facts.minLesionPx).toBe(MIN_LESION_PX);
    const lesionArea = facts.lesions[0].areaPx + facts.lesions[1].areaPx;
    expect(facts.areaPx).toBe(lesionArea + 1);
    expect(facts.areaMm2).toBeCloseTo(facts.areaPx * 0.4, 5);
    expect(facts.lesions.map((l) => l.location)).toEqual([
      { side: 'right', third: 'upper' },
      { side: 'left', third: 'lower' },
    ]);
    expect(facts.lesions[0].boundingBox).toEqual({ x: 30, y: 37, width: 11, height: 7 });
    expect(facts.lesions[0].centroid).toEqual({ x: 35.5, y: 40.5 });
    expect(facts.outsideBodyPx).toBe(0);
  });

  it('counts the mask pixels outside the body, however the body cuts its columns', () => {
    const body = field!.body;
    const data = ellipseMask(side, side, 60, 17, 12, 8); // across the body's upper edge
    for (let x = 100; x < 120; x++) for (let y = 50; y < 70; y++) data[y * side + x] = 1; // across its right edge
    data[2 * side + 2] = 1; // a speck in the air
    let outside = 0;
    for (let i = 0; i < data.length; i++) if (data[i] && !body.data[i]) outside++;

    const facts = deriveMaskFacts(rleOf({ width: side, height: side, data }), field, null);
    expect(outside).toBeGreaterThan(1);
    expect(facts.outsideBodyPx).toBe(outside);
  });

  it('leaves locations, mm² and the outside-body count unknown rather than guessing', () => {
    const facts = deriveMaskFacts(rleOf({ width: side, height: side, data: ellipseMask(side, side, 35, 40, 5, 3) }), null, null);
    expect(facts).toMatchObject({ lesionCount: 1, areaMm2: null, lungFieldKnown: false, outsideBodyPx: null });
    expect(facts.lesions[0]).toMatchObject({ areaMm2: null, location: { side: null, third: null } });
  });
});
