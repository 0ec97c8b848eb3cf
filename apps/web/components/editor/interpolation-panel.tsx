import type { EditorSnapshot } from '../../lib/editor-view/editor-controller';
import type { EditorAction } from '../../lib/editor-view/hotkeys';

/** The draft interpolated from the nearest masked slices (the violet outline) and what the annotator can do with it. */
export function InterpolationPanel({ interpolation, run }: { interpolation: NonNullable<EditorSnapshot['interpolation']>; run: (action: EditorAction) => void }) {
  const { lowerIndex, upperIndex, openSlices, accepting, error } = interpolation;
  return (
    <section className="interpolation-panel" data-testid="interpolation-panel" aria-label="Interpolated draft">
      <h3>Interpolated draft</h3>
      <p className="kv" data-testid="interpolation-status">
        between slices {lowerIndex} and {upperIndex} · {openSlices} empty slice{openSlices === 1 ? '' : 's'} between
      </p>
      {error && (
        <p className="editor-message" role="alert">
          {error}
        </p>
      )}
      <div className="tool-buttons">
        <button onClick={() => run({ kind: 'submit' })} disabled={accepting} title="Enter" data-testid="interpolation-accept">
          Accept this slice (Enter)
        </button>
        <button onClick={() => run({ kind: 'accept-interpolation-all' })} disabled={accepting || openSlices === 0} title="Shift+Enter" data-testid="interpolation-accept-all">
          Accept all {openSlices} (Shift+Enter)
        </button>
        <button onClick={() => run({ kind: 'drop-assist' })} disabled={accepting} title="Esc" data-testid="interpolation-drop">
          Drop (Esc)
        </button>
      </div>
    </section>
  );
}
