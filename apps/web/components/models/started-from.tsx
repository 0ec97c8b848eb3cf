'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { api, dataOf, messageOf } from '../../lib/api';
import { modelLabel } from '../../lib/models/model-label';

/** "Started from <model name · version>": the registered model whose weights a run started from, as a link to it. */
export function StartedFrom({ modelId }: { modelId: string }) {
  const [label, setLabel] = useState<string | null>(null);
  useEffect(() => {
    dataOf(api.GET('/api/models/{id}', { params: { path: { id: modelId } } })).then(
      (model) => setLabel(modelLabel(model)),
      (e: unknown) => setLabel(`${modelId.slice(0, 8)} (${messageOf(e)})`),
    );
  }, [modelId]);
  return (
    <span data-testid="started-from">
      started from <Link href={`/models/${modelId}`}>{label ?? modelId.slice(0, 8)}</Link>
    </span>
  );
}
