import { buildDisplayLut, contrastBrightnessOf, DisplayWindow, dragWindow, FULL_8BIT_WINDOW, initialWindow, renderGrayscale, WINDOW_PRESETS, windowFromContrastBrightness } from './window-level';
import type { SlicePixels } from './slice-pixels';

function ct(values: number[], signed: boolean, slope = 1, intercept = 0): SlicePixels {
  const stored = signed ? Int16Array.from(values) : Uint16Array.from(values);
  return { width: values.length, height: 1, bitDepth: 16, stored, slope, intercept };
}

function grays(pixels: SlicePixels, window: DisplayWindow = WINDOW_PRESETS.lung.window): number[] {
  const out = new Uint32Array(pixels.stored.length);
  renderGrayscale(pixels, buildDisplayLut(pixels, window), out);
  return [...out].map((word) => {
    expect(word >>> 24).toBe(0xff);
    expect(word & 0xff).toBe((word >> 8) & 0xff);
    return word & 0xff;
  });
}

describe('window/level', () => {
  it('maps the lung window W1500/L-600 onto black … white for signed HU', () => {
    expect(grays(ct([-1350, -1000, -600, 150, 3000], true))).toEqual([0, 60, 128, 255, 255]);
  });

  it('applies slope and intercept of unsigned storage (CT stored + 1024 offset)', () => {
    // stored 0 → -1024 HU, 424 → -600 HU (the lung window centre)
    expect(grays(ct([0, 424], false, 1, -1024))).toEqual([55, 128]);
  });

  it('the presets differ: a soft-tissue value is grey in mediastinum, near white in lung', () => {
    const tissue = ct([40], true);
    expect(grays(tissue, WINDOW_PRESETS.mediastinum.window)).toEqual([128]);
    expect(grays(tissue, WINDOW_PRESETS.lung.window)[0]).toBeGreaterThan(200);
    expect(grays(tissue, WINDOW_PRESETS.bone.window)[0]).toBeLessThan(128);
  });

  it('8-bit: contrast 1 and brightness 0 show stored values unchanged; contrast/brightness round-trip', () => {
    const pixels: SlicePixels = { width: 4, height: 1, bitDepth: 8, stored: Uint8Array.from([0, 64, 128, 255]), slope: 1, intercept: 0 };
    expect(grays(pixels, windowFromContrastBrightness(1, 0))).toEqual([0, 64, 128, 255]);
    expect(grays(pixels, windowFromContrastBrightness(2, 0))).toEqual([0, 0, 129, 255]);
    expect(grays(pixels, windowFromContrastBrightness(1, 64))).toEqual([64, 128, 192, 255]);
    expect(contrastBrightnessOf(windowFromContrastBrightness(1.5, -20))).toEqual({ contrast: 1.5, brightness: -20 });
    expect(buildDisplayLut(pixels, FULL_8BIT_WINDOW).table.length).toBe(256);
  });

  it('right-drag widens to the right and raises the centre downwards, never below width 1', () => {
    expect(dragWindow({ center: -600, width: 1500 }, 10, -5, 4)).toEqual({ center: -620, width: 1540 });
    expect(dragWindow({ center: 0, width: 10 }, -100, 0, 1).width).toBe(1);
  });

  it('opens with the slice window, else lung for 16-bit and the full range for 8-bit', () => {
    expect(initialWindow(16, { center: 1, width: 2 })).toEqual({ center: 1, width: 2 });
    expect(initialWindow(16, null)).toEqual(WINDOW_PRESETS.lung.window);
    expect(initialWindow(8, null)).toEqual(FULL_8BIT_WINDOW);
  });
});
