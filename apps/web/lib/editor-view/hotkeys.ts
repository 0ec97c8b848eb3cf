import type { ToolName } from '../editor/pointer-tools';
import type { WindowPresetName } from '../editor/window-level';

export type EditorAction =
  | { kind: 'tool'; tool: ToolName }
  | { kind: 'radius'; delta: -1 | 1 }
  | { kind: 'toggle-overlay' }
  | { kind: 'toggle-outline' }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'slice'; step: -1 | 1 }
  | { kind: 'save' }
  | { kind: 'submit' }
  | { kind: 'cheat-sheet' }
  | { kind: 'preset'; preset: WindowPresetName }
  | { kind: 'fit' }
  | { kind: 'actual-size' }
  | { kind: 'clear' }
  | { kind: 'accept-suggestion'; edit: boolean }
  | { kind: 'discard-suggestion' }
  | { kind: 'toggle-gradcam' }
  | { kind: 'drop-assist' }
  | { kind: 'accept-interpolation-all' };

/** Every hotkey with what it does, for the cheat-sheet (the same table drives actionForKey). */
export const HOTKEYS: ReadonlyArray<{ keys: string; does: string }> = [
  { keys: 'B', does: 'Brush' },
  { keys: 'E', does: 'Eraser' },
  { keys: 'P', does: 'Polygon / lasso fill (hold Alt to erase)' },
  { keys: 'F', does: 'Flood fill by intensity (hold Alt to erase)' },
  { keys: 'T', does: 'Threshold brush (paints only within the intensity range)' },
  { keys: 'I', does: 'AI assist: drag a box over a lesion for a draft (Shift+drag adds a box, click adds an include point, Alt+click an exclude point)' },
  { keys: 'Enter / Esc', does: 'AI assist: accept the draft into the mask / drop it' },
  { keys: 'Enter / Shift+Enter / Esc', does: 'Interpolated draft (violet, on an empty slice between two masked ones): accept it on this slice / on every empty slice between / drop it' },
  { keys: '[ / ]', does: 'Smaller / larger brush' },
  { keys: 'O', does: 'Show / hide the mask' },
  { keys: 'Shift+O', does: 'Outline only' },
  { keys: '1 / 2 / 3', does: 'Lung / mediastinum / bone window' },
  { keys: '0 / =', does: 'Fit / actual size (1:1)' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z', does: 'Undo / redo' },
  { keys: '← / →', does: 'Previous / next slice of the scan' },
  { keys: 'Ctrl+S', does: 'Save now' },
  { keys: 'Enter', does: 'Submit for review (accepts the AI assist or interpolated draft instead while one is shown)' },
  { keys: 'Shift+Delete', does: 'Clear the mask' },
  { keys: 'A', does: "Accept the model's suggestion (saved as a new revision)" },
  { keys: 'Shift+A', does: 'Accept the suggestion and edit it (not saved yet)' },
  { keys: 'D', does: 'Discard the suggestion for this slice' },
  { keys: 'G', does: 'Show / hide the Grad-CAM heat map' },
  { keys: 'Wheel · Space+drag · middle drag · right drag', does: 'Zoom · pan · pan · window/level' },
  { keys: '?', does: 'This cheat-sheet' },
];

const TOOL_KEYS: Record<string, ToolName> = { b: 'brush', e: 'eraser', p: 'lasso', f: 'flood', t: 'threshold', i: 'assist' };
const PRESET_KEYS: Record<string, WindowPresetName> = { '1': 'lung', '2': 'mediastinum', '3': 'bone' };

type KeyInput = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

export function actionForKey(event: KeyInput): EditorAction | null {
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const command = event.ctrlKey || event.metaKey;
  if (command) {
    if (key === 'z') return event.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (key === 'y') return { kind: 'redo' };
    if (key === 's') return { kind: 'save' };
    return null;
  }
  if (event.altKey) return null;
  if (TOOL_KEYS[key]) return { kind: 'tool', tool: TOOL_KEYS[key] };
  if (PRESET_KEYS[key]) return { kind: 'preset', preset: PRESET_KEYS[key] };
  switch (key) {
    case '[':
      return { kind: 'radius', delta: -1 };
    case ']':
      return { kind: 'radius', delta: 1 };
    case 'o':
      return event.shiftKey ? { kind: 'toggle-outline' } : { kind: 'toggle-overlay' };
    case 'ArrowLeft':
      return { kind: 'slice', step: -1 };
    case 'ArrowRight':
      return { kind: 'slice', step: 1 };
    case 'Enter':
      return event.shiftKey ? { kind: 'accept-interpolation-all' } : { kind: 'submit' };
    case 'Escape':
      return { kind: 'drop-assist' };
    case '?':
      return { kind: 'cheat-sheet' };
    case '0':
      return { kind: 'fit' };
    case '=':
      return { kind: 'actual-size' };
    case 'a':
      return { kind: 'accept-suggestion', edit: event.shiftKey };
    case 'd':
      return { kind: 'discard-suggestion' };
    case 'g':
      return { kind: 'toggle-gradcam' };
    case 'Delete':
      return event.shiftKey ? { kind: 'clear' } : null;
    default:
      return null;
  }
}
