'use client';

import { useState } from 'react';
import { api, messageOf } from '../../lib/api';

/** "Cancel run" asks once more before it stops a queued or running run; the API's refusal is shown as it is. */
export function CancelRun({ runId }: { runId: string }) {
  const [state, setState] = useState<'idle' | 'confirm' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    setState('sending');
    try {
      await api.POST('/api/runs/{id}/cancel', { params: { path: { id: runId } } });
      setState('sent');
      setError(null);
    } catch (e) {
      setError(`Cannot cancel the run: ${messageOf(e)}`);
      setState('idle');
    }
  };
  return (
    <>
      {state === 'idle' && (
        <button type="button" onClick={() => setState('confirm')} data-testid="run-cancel">
          Cancel run
        </button>
      )}
      {state === 'confirm' && (
        <>
          <span>Stop this run? Its last checkpoint stays.</span>
          <button type="button" onClick={cancel} data-testid="run-cancel-confirm">
            Yes, cancel the run
          </button>
          <button type="button" onClick={() => setState('idle')}>
            Keep it running
          </button>
        </>
      )}
      {state === 'sending' && <span className="muted">Cancelling…</span>}
      {state === 'sent' && <span className="muted">Cancelling: the run stops at its next step.</span>}
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
