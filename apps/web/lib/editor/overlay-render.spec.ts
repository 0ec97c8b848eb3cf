import { createEmptyMask } from '@lesionlab/mask';
import { renderOverlay } from './overlay-render';

describe('renderOverlay', () => {
  const mask = createEmptyMask(5, 5);
  for (let y = 1; y <= 3; y++) mask.data.fill(1, y * 5 + 1, y * 5 + 4);
  const whole = { x: 0, y: 0, width: 5, height: 5 };

  it('fills mask pixels with the colour at the given opacity, little-endian RGBA', () => {
    const out = new Uint32Array(25);
    renderOverlay(mask, whole, { color: 0xff8000, opacity: 0.5, outlineOnly: false }, out);
    expect(out[6]).toBe(((128 << 24) | (0x00 << 16) | (0x80 << 8) | 0xff) >>> 0);
    expect(out[0]).toBe(0);
    expect(out.filter((w) => w !== 0).length).toBe(9);
  });

  it('outline-only shows the border pixels opaque and leaves the inside clear', () => {
    const out = new Uint32Array(25);
    renderOverlay(mask, whole, { color: 0xffffff, opacity: 0.2, outlineOnly: true }, out);
    expect(out[12]).toBe(0);
    expect(out[6] >>> 24).toBe(255);
    expect(out.filter((w) => w !== 0).length).toBe(8);
  });

  it('touches only the given rectangle', () => {
    const out = new Uint32Array(25).fill(7);
    renderOverlay(mask, { x: 1, y: 1, width: 1, height: 1 }, { color: 0, opacity: 1, outlineOnly: false }, out);
    expect(out.filter((w) => w === 7).length).toBe(24);
  });
});
