'use client';

import Link from 'next/link';
import { useState } from 'react';
import { releaseListSchema } from '@lesionlab/contracts';
import { usePolled } from './use-polled';
import { api, dataOf } from '../../lib/api';

const never = () => false;

/** "Compare with…": another ready release, and a link to the diff from this one to it. */
export function ComparePicker({ releaseId }: { releaseId: string }) {
  const { data } = usePolled('releases', () => dataOf(api.GET('/api/releases')).then((list) => releaseListSchema.parse(list)), never);
  const [other, setOther] = useState('');
  const others = data?.items.filter((r) => r.id !== releaseId && r.status === 'ready') ?? [];
  if (others.length === 0) return <p className="muted">No other ready release to compare with.</p>;
  return (
    <div className="actions">
      <select aria-label="Compare with" value={other} onChange={(e) => setOther(e.target.value)}>
        <option value="">Compare with…</option>
        {others.map((r) => (
          <option key={r.id} value={r.id}>
            {r.title}
          </option>
        ))}
      </select>
      {other && <Link href={`/releases/${releaseId}/diff/${other}`}>Show the diff →</Link>}
    </div>
  );
}
