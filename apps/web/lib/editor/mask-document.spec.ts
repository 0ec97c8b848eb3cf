import { maskArea } from '@lesionlab/mask';
import { paintSegment, stampDisc } from './brush';
import { clearMask, MaskDocument } from './mask-document';
import { fillPolygon } from './polygon-fill';

function snapshot(doc: MaskDocument): Uint8Array {
  return doc.mask.data.slice();
}

describe('MaskDocument undo/redo', () => {
  it('undoes and redoes over 100 strokes restoring the exact pixels at every step', () => {
    const doc = new MaskDocument(256, 256);
    const states = [snapshot(doc)];
    for (let i = 0; i < 150; i++) {
      doc.beginEdit();
      const x = (i * 37) % 230 + 10;
      const y = (i * 53) % 230 + 10;
      doc.touched(paintSegment(doc.mask, { x, y }, { x: x + 8, y: y + 3 }, 3 + (i % 4), i % 5 === 4 ? 0 : 1));
      if (doc.endEdit()) states.push(snapshot(doc));
    }
    const steps = states.length - 1;
    expect(steps).toBeGreaterThan(100);
    for (let i = steps; i > 0; i--) {
      expect(doc.undo()).not.toBeNull();
      expect(Buffer.compare(doc.mask.data, states[i - 1])).toBe(0);
    }
    expect(doc.canUndo).toBe(false);
    for (let i = 1; i <= steps; i++) {
      doc.redo();
      expect(Buffer.compare(doc.mask.data, states[i])).toBe(0);
    }
  });

  it('stores only the touched regions, far less than full copies', () => {
    const doc = new MaskDocument(1024, 1024);
    for (let i = 0; i < 100; i++) doc.apply((mask) => stampDisc(mask, { x: 100 + i * 8, y: 500 }, 6, 1));
    expect(doc.historyBytes).toBeLessThanOrEqual(100 * 2 * 14 * 14);
    expect(doc.historyBytes).toBeLessThan(1024 * 1024);
  });

  it('keeps at most the configured number of steps and a new edit drops the redo branch', () => {
    const doc = new MaskDocument(32, 32, 100);
    for (let i = 0; i < 120; i++) doc.apply((mask) => stampDisc(mask, { x: 16, y: 16 }, 3, ((i + 1) % 2) as 0 | 1));
    let undone = 0;
    while (doc.undo()) undone++;
    expect(undone).toBe(100);
    doc.redo();
    doc.apply((mask) => stampDisc(mask, { x: 5, y: 5 }, 2, 1));
    expect(doc.canRedo).toBe(false);
  });

  it('an edit that changes nothing is not recorded; the version moves with every change', () => {
    const doc = new MaskDocument(16, 16);
    expect(doc.apply((mask) => stampDisc(mask, { x: 4, y: 4 }, 2, 0))).toBeNull();
    expect(doc.canUndo).toBe(false);
    doc.apply((mask) => fillPolygon(mask, [{ x: 1, y: 1 }, { x: 9, y: 1 }, { x: 9, y: 9 }], 1));
    expect(doc.version).toBe(1);
    doc.apply(clearMask);
    expect(maskArea(doc.mask)).toBe(0);
    doc.undo();
    expect(maskArea(doc.mask)).toBeGreaterThan(0);
    expect(doc.version).toBe(3);
  });

  it('replaceAll (taking theirs, merging) is one undoable step', () => {
    const doc = new MaskDocument(8, 8);
    const theirs = new Uint8Array(64).fill(1);
    doc.replaceAll(theirs);
    expect(maskArea(doc.mask)).toBe(64);
    doc.undo();
    expect(maskArea(doc.mask)).toBe(0);
  });

  it('the line origin follows the undo stack: undoing past an accepted draft goes back to the line before it', () => {
    const doc = new MaskDocument(32, 32, 3);
    const assist = { kind: 'assist' as const, draftIds: ['7d1c1f0e-0000-4000-8000-000000000001'] };
    doc.apply((mask) => stampDisc(mask, { x: 5, y: 5 }, 2, 1));
    expect(doc.origin).toBeNull();
    doc.apply((mask) => stampDisc(mask, { x: 16, y: 16 }, 4, 1), assist);
    expect(doc.origin).toEqual(assist);
    // A correction continues the accepted draft's line.
    doc.apply((mask) => stampDisc(mask, { x: 20, y: 16 }, 2, 0));
    expect(doc.origin).toEqual(assist);
    doc.undo();
    expect(doc.origin).toEqual(assist);
    doc.undo();
    expect(doc.origin).toBeNull();
    doc.redo();
    expect(doc.origin).toEqual(assist);
    // Past the history's limit the oldest edits go, and their line stays the base.
    for (let i = 0; i < 4; i++) doc.apply((mask) => stampDisc(mask, { x: 2 + i * 6, y: 28 }, 1, 1));
    while (doc.undo());
    expect(doc.origin).toEqual(assist);
  });
});
