'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { WorkQueueNext } from '@lesionlab/contracts';
import { api, dataOf, messageOf } from '../../lib/api';

/** The work queue: opens the next slice that needs a mask (a COVID patient's slice without one), most uncertain for the model first. */
export function NextSliceButton() {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const next = async () => {
    let sliceId: WorkQueueNext['sliceId'];
    try {
      ({ sliceId } = await dataOf(api.GET('/api/work-queue/next', { cache: 'no-store' })));
    } catch (e) {
      return setMessage(`Cannot ask the work queue: ${messageOf(e)}`);
    }
    if (!sliceId) return setMessage('Nothing left to annotate.');
    router.push(`/annotate/${sliceId}`);
  };
  return (
    <div className="card">
      <button onClick={() => void next()} data-testid="next-slice-to-annotate">
        Next slice to annotate →
      </button>
      {message && <p className="muted">{message}</p>}
    </div>
  );
}
