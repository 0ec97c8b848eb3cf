import { maskArea } from '@lesionlab/mask';
import { MaskDocument } from './mask-document';
import { PointerTools, type ToolSettings } from './pointer-tools';

const settings = (tool: ToolSettings['tool'], extra: Partial<ToolSettings> = {}): ToolSettings => ({ tool, radiusPx: 3, floodTolerance: 50, thresholdRange: [-800, -300], erase: false, ...extra });

describe('PointerTools', () => {
  const values = new Float32Array(64 * 64).map((_, i) => (i % 64 < 32 ? -700 : 40));

  it('a press-move-release brush stroke is one undoable edit', () => {
    const doc = new MaskDocument(64, 64);
    const tools = new PointerTools(doc, () => values);
    tools.down({ x: 10, y: 10 }, settings('brush'));
    tools.move({ x: 20, y: 10 });
    tools.move({ x: 30, y: 20 });
    expect(tools.up().changed).toBe(true);
    expect(maskArea(doc.mask)).toBeGreaterThan(100);
    doc.undo();
    expect(maskArea(doc.mask)).toBe(0);
  });

  it('the lasso fills on release; with erase it removes', () => {
    const doc = new MaskDocument(64, 64);
    const tools = new PointerTools(doc, () => values);
    tools.down({ x: 5, y: 5 }, settings('lasso'));
    for (const p of [{ x: 25, y: 5 }, { x: 25, y: 25 }, { x: 5, y: 25 }]) tools.move(p);
    expect(tools.up().rect).toEqual({ x: 5, y: 5, width: 21, height: 21 });
    expect(maskArea(doc.mask)).toBe(400);
    tools.down({ x: 0, y: 0 }, settings('lasso', { erase: true }));
    for (const p of [{ x: 15, y: 0 }, { x: 15, y: 64 }, { x: 0, y: 64 }]) tools.move(p);
    tools.up();
    expect(maskArea(doc.mask)).toBe(200);
  });

  it('flood fill takes the connected region of similar intensity; the threshold brush stays inside its range', () => {
    const doc = new MaskDocument(64, 64);
    const tools = new PointerTools(doc, () => values);
    tools.down({ x: 40, y: 40 }, settings('flood'));
    tools.up();
    expect(maskArea(doc.mask)).toBe(32 * 64);
    doc.undo();
    tools.down({ x: 32, y: 32 }, settings('threshold', { radiusPx: 10 }));
    tools.up();
    for (let i = 0; i < doc.mask.data.length; i++) if (doc.mask.data[i]) expect(values[i]).toBe(-700);
    expect(maskArea(doc.mask)).toBeGreaterThan(100);
  });
});
