import { actionForKey } from './hotkeys';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean }> = {}) =>
  actionForKey({ key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods });

describe('actionForKey', () => {
  it('maps the tool letters, in either case', () => {
    expect(key('b')).toEqual({ kind: 'tool', tool: 'brush' });
    expect(key('E')).toEqual({ kind: 'tool', tool: 'eraser' });
    expect(key('p')).toEqual({ kind: 'tool', tool: 'lasso' });
    expect(key('f')).toEqual({ kind: 'tool', tool: 'flood' });
    expect(key('t')).toEqual({ kind: 'tool', tool: 'threshold' });
    expect(key('i')).toEqual({ kind: 'tool', tool: 'assist' });
  });

  it('maps Escape to dropping the AI assist draft (Enter stays submit: the editor accepts a shown draft instead)', () => {
    expect(key('Escape')).toEqual({ kind: 'drop-assist' });
  });

  it('maps undo, redo (Ctrl+Shift+Z and Ctrl+Y), save and submit', () => {
    expect(key('z', { ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toEqual({ kind: 'redo' });
    expect(key('y', { metaKey: true })).toEqual({ kind: 'redo' });
    expect(key('s', { ctrlKey: true })).toEqual({ kind: 'save' });
    expect(key('Enter')).toEqual({ kind: 'submit' });
  });

  it('maps sizes, overlay, slices, presets, suggestions and the cheat-sheet; ignores the rest', () => {
    expect(key('[')).toEqual({ kind: 'radius', delta: -1 });
    expect(key(']')).toEqual({ kind: 'radius', delta: 1 });
    expect(key('o')).toEqual({ kind: 'toggle-overlay' });
    expect(key('O', { shiftKey: true })).toEqual({ kind: 'toggle-outline' });
    expect(key('ArrowRight')).toEqual({ kind: 'slice', step: 1 });
    expect(key('2')).toEqual({ kind: 'preset', preset: 'mediastinum' });
    expect(key('?', { shiftKey: true })).toEqual({ kind: 'cheat-sheet' });
    expect(key('a')).toEqual({ kind: 'accept-suggestion', edit: false });
    expect(key('A', { shiftKey: true })).toEqual({ kind: 'accept-suggestion', edit: true });
    expect(key('d')).toEqual({ kind: 'discard-suggestion' });
    expect(key('g')).toEqual({ kind: 'toggle-gradcam' });
    expect(key('Delete')).toBeNull();
    expect(key('q')).toBeNull();
    expect(key('b', { altKey: true })).toBeNull();
  });
});
