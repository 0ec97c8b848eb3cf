'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { SlicePage } from '@lesionlab/contracts';

/** The work queue: opens the next slice that needs a mask (a COVID patient's slice without one). */
export function NextSliceButton() {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const next = async () => {
    const response = await fetch('/api/slices?cohort=covid&hasMask=false&sort=patient&limit=1', { cache: 'no-store' });
    if (!response.ok) return setMessage(`Cannot ask the catalog: ${response.status}`);
    const page = (await response.json()) as SlicePage;
    if (page.items.length === 0) return setMessage('Nothing left to annotate.');
    router.push(`/annotate/${page.items[0].id}`);
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
