'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ImportRun } from '@lesionlab/contracts';
import { ImportHistory } from './import-history';
import { ImportRunView } from './import-run-view';
import { NewImportForm } from './new-import-form';
import styles from './import.module.css';

/** The import page: the import open (`?id=`, else the one just started) on top, a new import, and the past ones. */
export function ImportPage({ openId }: { openId: string | null }) {
  const router = useRouter();
  const [started, setStarted] = useState<ImportRun | null>(null);
  const [changed, setChanged] = useState(0);
  const shown = openId ?? started?.id ?? null;

  const onStarted = (run: ImportRun) => {
    setStarted(run);
    setChanged((c) => c + 1);
    router.push(`/import?id=${run.id}`, { scroll: false });
  };

  return (
    <div className={styles.page}>
      {shown && <ImportRunView key={shown} id={shown} first={started} />}
      <NewImportForm onStarted={onStarted} />
      <ImportHistory openId={shown} changed={changed} />
    </div>
  );
}
