'use client';

import { useState } from 'react';
import styles from './account.module.css';

/**
 * A secret the API keeps only as a hash (an API token, a new password): shown once, with a copy
 * button, until the person says they have it. The clipboard API needs a secure origin, else the
 * value is selected on click for a manual copy.
 */
export function OneTimeSecret({ title, value, onDone, testId }: { title: string; value: string; onDone: () => void; testId: string }) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copyValue = () =>
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(value))
      .then(
        () => setCopy('copied'),
        () => setCopy('failed'),
      );
  return (
    <section className={`card ${styles.secret}`} role="region" aria-label={title} data-testid={testId}>
      <strong>{title}</strong>
      <p className={styles.warning}>Copy it now: you won’t see it again. LesionLab keeps only its hash.</p>
      <div className={styles.secretValue}>
        <code data-testid={`${testId}-value`}>{value}</code>
        <button type="button" onClick={() => void copyValue()}>
          {copy === 'copied' ? 'Copied' : copy === 'failed' ? 'Select and copy it' : 'Copy'}
        </button>
      </div>
      <div>
        <button type="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </section>
  );
}
