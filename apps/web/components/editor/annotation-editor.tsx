'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { millimetresToPixels } from '../../lib/editor/brush';
import { TOOLS, usesRadius, type ToolName, type ToolSettings } from '../../lib/editor/pointer-tools';
import { contrastBrightnessOf, WINDOW_PRESETS, type WindowPresetName } from '../../lib/editor/window-level';
import { EditorController, type EditorSnapshot } from '../../lib/editor-view/editor-controller';
import { actionForKey, type EditorAction } from '../../lib/editor-view/hotkeys';
import { AssistPanel } from './assist-panel';
import { CheatSheet } from './cheat-sheet';
import { InterpolationPanel } from './interpolation-panel';
import { ConflictView } from './conflict-view';
import { LesionStatsPanel } from './lesion-stats-panel';
import { ProvenancePanel } from './provenance-panel';
import { SaveIndicator } from './save-indicator';
import { SuggestionPanel } from './suggestion-panel';

const TOOL_LABELS: Record<ToolName, string> = { brush: 'Brush (B)', eraser: 'Eraser (E)', lasso: 'Lasso (P)', flood: 'Flood fill (F)', threshold: 'Threshold brush (T)', assist: 'AI assist (I)' };
const MIN_RADIUS = 0.5;
const MAX_RADIUS = 200;

function defaultSettings(): ToolSettings {
  return { tool: 'brush', radiusPx: 8, floodTolerance: 100, thresholdRange: [-800, -300], erase: false };
}

/** The annotation editor of /annotate/[sliceId]. */
export function AnnotationEditor({ sliceId }: { sliceId: string }) {
  const viewport = useRef<HTMLDivElement>(null);
  const controller = useRef<EditorController | null>(null);
  const settingsRef = useRef<ToolSettings>(defaultSettings());
  const [settings, setSettings] = useState<ToolSettings>(settingsRef.current);
  const [snapshot, setSnapshot] = useState<EditorSnapshot | null>(null);
  const [overlay, setOverlay] = useState({ visible: true, outlineOnly: false, opacity: 0.45 });
  const [cheatSheet, setCheatSheet] = useState(false);

  const updateSettings = useCallback((change: Partial<ToolSettings>) => {
    settingsRef.current = { ...settingsRef.current, ...change };
    setSettings(settingsRef.current);
    controller.current?.setCursorRadius(settingsRef.current.radiusPx);
  }, []);

  useEffect(() => {
    const element = viewport.current!;
    const editor = new EditorController(element, sliceId, () => settingsRef.current, setSnapshot, (id) => window.history.pushState(null, '', `/annotate/${id}`));
    controller.current = editor;
    return () => {
      editor.dispose();
      controller.current = null;
    };
    // The controller lives as long as the page; ←/→ change slices inside it.
  }, []);

  useEffect(() => {
    controller.current?.setOverlay({ color: 0xff5a3c, opacity: overlay.opacity, outlineOnly: overlay.outlineOnly }, overlay.visible);
  }, [overlay]);

  // 8-bit slices get their own defaults for the intensity tools (0–255 instead of HU).
  const bitDepth = snapshot?.detail?.bitDepth;
  useEffect(() => {
    if (bitDepth === 8) updateSettings({ floodTolerance: 20, thresholdRange: [90, 200] });
    if (bitDepth === 16) updateSettings({ floodTolerance: 100, thresholdRange: [-800, -300] });
  }, [bitDepth, updateSettings]);

  const run = useCallback(
    (action: EditorAction) => {
      const editor = controller.current;
      if (!editor) return;
      switch (action.kind) {
        case 'tool':
          updateSettings({ tool: action.tool });
          if (action.tool === 'assist') editor.prepareAssist();
          return;
        case 'radius': {
          const radiusPx = settingsRef.current.radiusPx * (action.delta > 0 ? 1.25 : 0.8);
          return updateSettings({ radiusPx: Math.min(MAX_RADIUS, Math.max(MIN_RADIUS, Math.round(radiusPx * 10) / 10)) });
        }
        case 'toggle-overlay':
          return setOverlay((o) => ({ ...o, visible: !o.visible }));
        case 'toggle-outline':
          return setOverlay((o) => ({ ...o, outlineOnly: !o.outlineOnly }));
        case 'undo':
          return editor.undo();
        case 'redo':
          return editor.redo();
        case 'slice':
          return void editor.step(action.step);
        case 'save':
          return void editor.save();
        case 'submit':
          if (editor.hasAssistDraft) return editor.acceptAssist();
          return editor.hasInterpolationDraft ? editor.acceptInterpolation() : void editor.submit();
        case 'accept-interpolation-all':
          return void editor.acceptAllInterpolation();
        case 'drop-assist':
          return editor.hasAssistDraft ? editor.dropAssist() : editor.dropInterpolation();
        case 'cheat-sheet':
          return setCheatSheet((open) => !open);
        case 'preset':
          return editor.setWindow(WINDOW_PRESETS[action.preset].window);
        case 'fit':
          return editor.canvas.fit();
        case 'actual-size':
          return editor.canvas.actualSize();
        case 'clear':
          return editor.clear();
        case 'accept-suggestion':
          return void editor.acceptSuggestion(action.edit);
        case 'discard-suggestion':
          return editor.discardSuggestion();
        case 'toggle-gradcam':
          return void editor.toggleGradcam();
      }
    },
    [updateSettings],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // An open model picker has its option focused: its keys (Enter, Esc, arrows) are the picker's.
      if ((event.target as HTMLElement).closest('input, textarea, select')) return;
      const action = actionForKey(event);
      if (!action) return;
      event.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);

  const detail = snapshot?.detail ?? null;
  const spacing = detail?.pixelSpacingMm ?? null;
  const radiusMm = spacing ? settings.radiusPx / millimetresToPixels(1, spacing) : null;
  const windowShown = snapshot?.window;

  return (
    <div className="editor">
      <header className="editor-header">
        <div>
          <Link href="/catalog">Catalog</Link> / {detail ? `${detail.patientExternalId} · slice ${detail.sliceIndex}` : 'loading…'}
        </div>
        <div className="editor-header-right">
          {snapshot && <SaveIndicator save={snapshot.save} />}
          <button onClick={() => run({ kind: 'save' })} title="Ctrl+S">
            Save
          </button>
          <button onClick={() => run({ kind: 'submit' })} title="Enter">
            Submit
          </button>
          <button onClick={() => setCheatSheet(true)} title="?">
            ?
          </button>
        </div>
      </header>
      <div className="editor-body">
        <aside className="editor-tools" aria-label="Tools">
          <div className="tool-buttons" role="radiogroup" aria-label="Tool">
            {TOOLS.map((tool) => (
              <button key={tool} role="radio" aria-checked={settings.tool === tool} className={settings.tool === tool ? 'active' : ''} data-testid={`tool-${tool}`} onClick={() => run({ kind: 'tool', tool })}>
                {TOOL_LABELS[tool]}
              </button>
            ))}
          </div>
          {usesRadius(settings.tool) && (
            <label>
              <span>
                Radius <span data-testid="brush-radius">{settings.radiusPx}</span> px{radiusMm !== null ? ` · ${radiusMm.toFixed(1)} mm` : ''}
              </span>
              <input type="range" min={MIN_RADIUS} max={60} step={0.5} value={settings.radiusPx} onChange={(e) => updateSettings({ radiusPx: Number(e.target.value) })} />
            </label>
          )}
          {snapshot?.interpolation && <InterpolationPanel interpolation={snapshot.interpolation} run={run} />}
          {settings.tool === 'assist' && snapshot && (
            <AssistPanel assist={snapshot.assist} image={snapshot.assistImage} onModel={(id) => controller.current?.setAssistModel(id)} onAccept={() => controller.current?.acceptAssist()} onDrop={() => controller.current?.dropAssist()} />
          )}
          {settings.tool === 'flood' && (
            <label>
              Tolerance
              <input type="number" value={settings.floodTolerance} onChange={(e) => updateSettings({ floodTolerance: Number(e.target.value) })} />
            </label>
          )}
          {settings.tool === 'threshold' && (
            <div className="range-inputs">
              Paint only from
              <input type="number" aria-label="threshold minimum" value={settings.thresholdRange[0]} onChange={(e) => updateSettings({ thresholdRange: [Number(e.target.value), settings.thresholdRange[1]] })} />
              to
              <input type="number" aria-label="threshold maximum" value={settings.thresholdRange[1]} onChange={(e) => updateSettings({ thresholdRange: [settings.thresholdRange[0], Number(e.target.value)] })} />
            </div>
          )}
          <h3>Window</h3>
          <div className="tool-buttons">
            {(Object.keys(WINDOW_PRESETS) as WindowPresetName[]).map((name, index) => (
              <button key={name} data-testid={`preset-${name}`} onClick={() => run({ kind: 'preset', preset: name })} title={String(index + 1)}>
                {WINDOW_PRESETS[name].label}
              </button>
            ))}
          </div>
          {windowShown && (
            <p className="kv" data-testid="window-values">
              {bitDepth === 8
                ? `contrast ${contrastBrightnessOf(windowShown).contrast.toFixed(2)} · brightness ${Math.round(contrastBrightnessOf(windowShown).brightness)}`
                : `W ${Math.round(windowShown.width)} / L ${Math.round(windowShown.center)}`}
            </p>
          )}
          <h3>Mask</h3>
          <label>
            <input type="checkbox" checked={overlay.visible} onChange={() => run({ kind: 'toggle-overlay' })} /> Show (O)
          </label>
          <label>
            <input type="checkbox" checked={overlay.outlineOnly} onChange={() => run({ kind: 'toggle-outline' })} /> Outline only (Shift+O)
          </label>
          <label>
            Opacity
            <input type="range" min={0.1} max={1} step={0.05} value={overlay.opacity} onChange={(e) => setOverlay((o) => ({ ...o, opacity: Number(e.target.value) }))} />
          </label>
          <div className="tool-buttons">
            <button onClick={() => run({ kind: 'undo' })} disabled={!snapshot?.canUndo} data-testid="undo">
              Undo
            </button>
            <button onClick={() => run({ kind: 'redo' })} disabled={!snapshot?.canRedo} data-testid="redo">
              Redo
            </button>
            <button onClick={() => run({ kind: 'fit' })}>Fit</button>
            <button onClick={() => run({ kind: 'actual-size' })}>1:1</button>
            <button onClick={() => run({ kind: 'clear' })}>Clear</button>
          </div>
          {snapshot?.suggestion && <SuggestionPanel suggestion={snapshot.suggestion} gradcamShown={snapshot.gradcamShown} run={run} />}
          <LesionStatsPanel stats={snapshot?.stats ?? null} />
          {snapshot?.provenance && <ProvenancePanel provenance={snapshot.provenance} />}
          <div className="tool-buttons">
            <button onClick={() => run({ kind: 'slice', step: -1 })} disabled={!detail?.previousSliceId} data-testid="previous-slice">
              ← Previous
            </button>
            <button onClick={() => run({ kind: 'slice', step: 1 })} disabled={!detail?.nextSliceId} data-testid="next-slice">
              Next →
            </button>
          </div>
        </aside>
        <div className={`editor-viewport tool-${settings.tool}`} ref={viewport} data-testid="editor-viewport" data-loaded={snapshot && !snapshot.loading && !snapshot.error ? snapshot.sliceId : undefined}>
          {snapshot?.error && <div className="editor-message">Cannot open this slice: {snapshot.error}</div>}
          {snapshot?.restoredFrom && (
            <div className="editor-notice" data-testid="restored-notice">
              Restored edits kept in this browser from {new Date(snapshot.restoredFrom).toLocaleString()}.{' '}
              <button onClick={() => void controller.current?.discardRestored()}>Discard them</button>
            </div>
          )}
        </div>
      </div>
      {cheatSheet && <CheatSheet onClose={() => setCheatSheet(false)} />}
      {snapshot?.save.conflict && snapshot.conflictSlice && (
        <ConflictView slice={snapshot.conflictSlice} conflict={snapshot.save.conflict} window={snapshot.window} onChoose={(choice) => void controller.current?.resolveConflict(choice)} />
      )}
    </div>
  );
}
