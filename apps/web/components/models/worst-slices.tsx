'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { EVALUATION_IMAGE_KINDS, type EvaluationImageKind, type EvaluationOverlay } from '@lesionlab/contracts';
import { formatScore } from '../../lib/models/evaluation-report';
import styles from './models.module.css';

const CAPTIONS: Record<EvaluationImageKind, string> = {
  truth: 'ground truth (green)',
  prediction: 'prediction (red)',
  gradcam: 'Grad-CAM of this model (red: drives the COVID score)',
  overlay: 'truth (green) and prediction (red)',
};

interface Shown {
  index: number;
  kind: EvaluationImageKind;
  title: string;
}

/** One drawing full size over the page; Esc, the backdrop or Close shuts it. */
function Lightbox({ evaluationId, shown, onClose }: { evaluationId: string; shown: Shown; onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className={styles.lightbox} role="dialog" aria-modal="true" aria-label={shown.title} data-testid="lightbox" onClick={(e) => e.stopPropagation()}>
        <div className={styles.lightboxHead}>
          <b>{shown.title}</b>
          <button type="button" ref={close} onClick={onClose}>Close</button>
        </div>
        <img src={`/api/evaluations/${evaluationId}/overlays/${shown.index}?kind=${shown.kind}`} alt={shown.title} />
      </div>
    </div>
  );
}

/**
 * The evaluation's worst slices, worst first: the drawings each holds (ground truth, prediction, the
 * evaluated model's Grad-CAM) side by side; a click shows one full size.
 */
export function WorstSlices({ evaluationId, overlays }: { evaluationId: string; overlays: readonly EvaluationOverlay[] }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const closeLightbox = useCallback(() => setShown(null), []);
  return (
    <div className={styles.worst} data-testid="worst-slices">
      {overlays.map((overlay, index) => {
        const name = overlay.sliceId ? overlay.sliceId.slice(0, 8) : `#${index + 1}`;
        return (
          <div key={index} className={styles.worstSlice} data-testid="worst-slice">
            <div className={styles.worstHead}>
              <b>{index + 1}.</b>
              {overlay.sliceId ? <Link href={`/annotate/${overlay.sliceId}`} title="Open in the editor"><code>{name}</code></Link> : <span className="muted">slice not recorded</span>}
              <span className="muted">Dice {formatScore(overlay.dice)}</span>
            </div>
            <div className={styles.drawings}>
              {EVALUATION_IMAGE_KINDS.filter((kind) => overlay.images[kind]).map((kind) => {
                const title = `${CAPTIONS[kind]} · slice ${name}`;
                return (
                  <figure key={kind} className={styles.drawing}>
                    <button type="button" onClick={() => setShown({ index, kind, title })} aria-label={`Show ${title} full size`} data-testid={`drawing-${kind}`}>
                      <img src={`/api/evaluations/${evaluationId}/overlays/${index}?kind=${kind}`} alt={title} width={200} height={200} />
                    </button>
                    <figcaption>{CAPTIONS[kind]}</figcaption>
                  </figure>
                );
              })}
            </div>
          </div>
        );
      })}
      {shown && <Lightbox evaluationId={evaluationId} shown={shown} onClose={closeLightbox} />}
    </div>
  );
}
