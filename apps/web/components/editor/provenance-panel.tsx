import type { MaskOrigin } from '@lesionlab/contracts';
import type { EditorSnapshot } from '../../lib/editor-view/editor-controller';

function originText(origin: MaskOrigin): string {
  switch (origin.kind) {
    case 'manual':
      return 'drawn by hand';
    case 'assist':
      return `AI assist · ${origin.model.name} ${origin.model.version} · ${origin.prompts.length} box${origin.prompts.length === 1 ? '' : 'es'}`;
    case 'suggestion':
      return `model suggestion · ${origin.model}`;
    case 'interpolation':
      return `interpolated from slices ${origin.sources[0].sliceIndex} and ${origin.sources[1].sliceIndex}`;
    case 'import':
      return 'imported';
  }
}

/** Where the saved mask of this slice came from, and how much of the draft the annotator changed. */
export function ProvenancePanel({ provenance }: { provenance: NonNullable<EditorSnapshot['provenance']> }) {
  const { origin, edit, activeSeconds } = provenance;
  return (
    <section className="provenance-panel" data-testid="provenance-panel" aria-label="Provenance">
      <h3>Saved mask</h3>
      <p className="kv" data-testid="provenance-origin">
        {originText(origin)}
      </p>
      {edit && (
        <p className="kv" data-testid="provenance-edit">
          from a {edit.draftAreaPx} px draft: +{edit.pixelsAdded} / −{edit.pixelsRemoved} px · Dice {edit.dice.toFixed(3)}
        </p>
      )}
      {activeSeconds !== null && (
        <p className="kv" data-testid="provenance-seconds">
          {activeSeconds.toFixed(0)} s of active editing
        </p>
      )}
    </section>
  );
}
