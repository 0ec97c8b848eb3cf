import type { SliceSuggestion } from '@lesionlab/contracts';
import type { EditorAction } from '../../lib/editor-view/hotkeys';

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)} %`);

/** The model's suggestion for the slice (the cyan outline) and what the annotator can do with it. */
export function SuggestionPanel({ suggestion, gradcamShown, run }: { suggestion: SliceSuggestion; gradcamShown: boolean; run: (action: EditorAction) => void }) {
  return (
    <section className="suggestion-panel" data-testid="suggestion-panel" aria-label="Model suggestion">
      <h3>Model suggestion</h3>
      <p className="kv">
        {suggestion.author} · {suggestion.area} px · uncertainty {percent(suggestion.uncertainty)} · COVID {percent(suggestion.covidProbability)}
      </p>
      <div className="tool-buttons">
        <button onClick={() => run({ kind: 'accept-suggestion', edit: false })} title="A" data-testid="suggestion-accept">
          Accept (A)
        </button>
        <button onClick={() => run({ kind: 'accept-suggestion', edit: true })} title="Shift+A" data-testid="suggestion-edit">
          Accept &amp; edit (Shift+A)
        </button>
        <button onClick={() => run({ kind: 'discard-suggestion' })} title="D" data-testid="suggestion-discard">
          Discard (D)
        </button>
      </div>
      <label>
        <input type="checkbox" checked={gradcamShown} disabled={!suggestion.hasGradcam} onChange={() => run({ kind: 'toggle-gradcam' })} data-testid="gradcam-toggle" /> Grad-CAM heat map (G)
      </label>
    </section>
  );
}
