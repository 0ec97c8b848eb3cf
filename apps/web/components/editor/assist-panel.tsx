'use client';

import { useEffect, useState } from 'react';
import type { AssistModel } from '@lesionlab/contracts';
import { fetchAssistModels } from '../../lib/editor/assist';
import type { EditorSnapshot } from '../../lib/editor-view/editor-controller';

const modelLabel = (m: AssistModel) => `${m.name} · ${m.version}`;

/** The AI assist tool's panel: which model draws, the draft's state, accept / drop. */
export function AssistPanel({
  assist,
  image,
  onModel,
  onAccept,
  onDrop,
}: {
  assist: EditorSnapshot['assist'];
  image: EditorSnapshot['assistImage'];
  onModel: (id: string) => void;
  onAccept: () => void;
  onDrop: () => void;
}) {
  const [models, setModels] = useState<AssistModel[]>([]);
  const [model, setModel] = useState('shipped');
  useEffect(() => {
    fetchAssistModels().then((list) => setModels(list.items), () => setModels([]));
  }, []);
  const chosen = models.find((m) => m.id === model);

  return (
    <section className="assist-panel" data-testid="assist-panel">
      <h3>AI assist</h3>
      <label>
        Model
        <select
          value={model}
          className="assist-model"
          title={chosen ? modelLabel(chosen) : undefined}
          data-testid="assist-model"
          onChange={(e) => {
            setModel(e.target.value);
            onModel(e.target.value);
          }}
        >
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {modelLabel(m)}
            </option>
          ))}
        </select>
      </label>
      {image && (
        <p className={`kv assist-image ${image}`} data-testid="assist-image">
          {image === 'ready' ? 'assist ready: image encoded' : 'encoding the image…'}
        </p>
      )}
      <p className="kv" data-testid="assist-status">
        {assist.pending
          ? 'drawing…'
          : assist.boxes > 0
            ? `draft of ${assist.boxes} box${assist.boxes > 1 ? 'es' : ''} · score ${assist.score?.toFixed(2)} · ${assist.ms} ms`
            : 'drag a box over a lesion (Shift+drag adds one; click / Alt+click adds an include / exclude point)'}
      </p>
      {assist.error && (
        <p className="editor-message" role="alert">
          {assist.error}
        </p>
      )}
      <div className="tool-buttons">
        <button onClick={onAccept} disabled={assist.boxes === 0} data-testid="assist-accept" title="Enter">
          Accept draft
        </button>
        <button onClick={onDrop} disabled={assist.boxes === 0} data-testid="assist-drop" title="Esc">
          Drop
        </button>
      </div>
    </section>
  );
}
