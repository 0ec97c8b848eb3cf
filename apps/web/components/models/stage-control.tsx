'use client';

import { useState } from 'react';
import type { Model } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';
import styles from './models.module.css';

type Stage = Model['stage'];

const QUESTION: Record<Exclude<Stage, 'candidate'>, (m: Model) => string> = {
  production: (m) => `Promote ${m.name} v${m.version} to production? The production version of ${m.name} now, if any, is archived.`,
  archived: (m) => `Archive ${m.name} v${m.version}? It stays listed, and can be promoted again later.`,
};

/** Promote to production or archive, each after a confirmation; the API's refusal is shown as it is. */
export function StageControl({ model, onChanged }: { model: Model; onChanged: (model: Model) => void }) {
  const [asking, setAsking] = useState<Exclude<Stage, 'candidate'> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (stage: Stage) => {
    setBusy(true);
    try {
      onChanged(await dataOf(api.PATCH('/api/models/{id}', { params: { path: { id: model.id } }, body: { stage } })));
      setError(null);
      setAsking(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={styles.stage} data-testid="stage-control">
      {!asking && (
        <>
          <button type="button" disabled={model.stage === 'production'} onClick={() => setAsking('production')} data-testid="promote">
            Promote to production
          </button>
          <button type="button" disabled={model.stage === 'archived'} onClick={() => setAsking('archived')} data-testid="archive">
            Archive
          </button>
        </>
      )}
      {asking && (
        <div className={`${styles.confirm} ${asking === 'archived' ? styles.danger : ''}`} role="group" aria-label="Confirm the stage change">
          <span>{QUESTION[asking](model)}</span>
          <button type="button" disabled={busy} onClick={() => change(asking)} data-testid="confirm-stage">
            {asking === 'production' ? 'Promote' : 'Archive'}
          </button>
          <button type="button" disabled={busy} onClick={() => { setAsking(null); setError(null); }}>Cancel</button>
        </div>
      )}
      {error && <span className="form-error" role="alert" data-testid="stage-error">{error}</span>}
    </div>
  );
}
