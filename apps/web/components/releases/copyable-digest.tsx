'use client';

import { useState } from 'react';

/** The full digest (one click selects it) with a button that copies it; the clipboard API needs a secure origin. */
export function CopyableDigest({ digest }: { digest: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(digest))
      .then(() => setState('copied'), () => setState('failed'));
  return (
    <div className="digest">
      <code data-testid="release-digest">{digest}</code>
      <button type="button" onClick={copy}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}
      </button>
    </div>
  );
}
