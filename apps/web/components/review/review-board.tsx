'use client';

import { useCallback, useEffect, useMemo, useState } from 'react';
import { maskRevisionListSchema, reviewQueueSchema, type MaskRevision, type ReviewQueueItem } from '@lesionlab/contracts';
import { api, messageOf } from '../../lib/api';
import { HttpMaskApi } from '../../lib/editor/mask-api';
import { SliceCache, type LoadedSlice } from '../../lib/editor/slice-cache';
import { initialWindow } from '../../lib/editor/window-level';
import { MaskPreview } from '../editor/mask-preview';

interface Opened {
  item: ReviewQueueItem;
  slice: LoadedSlice;
  submitted: MaskRevision;
  previousAccepted: MaskRevision | null;
}

/** The review queue: the submitted mask beside the last accepted one; A approves, R rejects (with a comment). */
export function ReviewBoard() {
  const cache = useMemo(() => new SliceCache(new HttpMaskApi(api), api), []);
  const [queue, setQueue] = useState<ReviewQueueItem[] | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const { data } = await api.GET('/api/review/queue', { cache: 'no-store' });
      setQueue(reviewQueueSchema.parse(data).items.filter((item) => item.kind === 'mask'));
    } catch (e) {
      setMessage(`Cannot load the queue: ${messageOf(e)}`);
    }
  }, []);

  useEffect(() => void refresh(), [refresh]);

  const open = useCallback(
    async (item: ReviewQueueItem) => {
      const [slice, history] = await Promise.all([
        cache.load(item.subjectId),
        api.GET('/api/slices/{id}/mask/revisions', { params: { path: { id: item.subjectId } } }).then(({ data }) => maskRevisionListSchema.parse(data).items),
      ]);
      const submitted = history.find((r) => r.revisionId === item.revisionId)!;
      const previousAccepted = history.filter((r) => r.state === 'approved' && r.createdAt < submitted.createdAt).at(-1) ?? null;
      setOpened({ item, slice, submitted, previousAccepted });
      setComment('');
    },
    [cache],
  );

  useEffect(() => {
    if (queue && queue.length > 0 && !opened) void open(queue[0]);
  }, [queue, opened, open]);

  const decide = useCallback(
    async (decision: 'approve' | 'reject') => {
      if (!opened) return;
      if (decision === 'reject' && !comment.trim()) return setMessage('A rejection needs a comment.');
      const path = decision === 'approve' ? '/api/revisions/{id}/approve' : '/api/revisions/{id}/reject';
      try {
        await api.POST(path, { params: { path: { id: opened.item.revisionId } }, body: comment.trim() ? { comment: comment.trim() } : {} });
        setMessage(`${decision === 'approve' ? 'Approved' : 'Rejected'}.`);
      } catch (e) {
        setMessage(`Not recorded: ${messageOf(e)}`);
      }
      setOpened(null);
      await refresh();
    },
    [opened, comment, refresh],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as HTMLElement).tagName === 'TEXTAREA') return;
      if (event.key === 'a') void decide('approve');
      if (event.key === 'r') void decide('reject');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [decide]);

  if (!queue) return <p className="muted">Loading the review queue…</p>;
  const displayWindow = opened && initialWindow(opened.slice.detail.bitDepth, opened.slice.detail.defaultWindow);
  return (
    <div className="review">
      <div className="review-queue" data-testid="review-queue">
        <b>{queue.length} waiting</b>
        {queue.map((item) => (
          <button key={item.revisionId} className={opened?.item.revisionId === item.revisionId ? 'active' : ''} onClick={() => void open(item)}>
            {item.author} · {new Date(item.createdAt).toLocaleString()}
            {item.warnings.length > 0 && <span className="badge badge-wait"> {item.warnings.length} warning(s)</span>}
          </button>
        ))}
      </div>
      <div>
        {message && <p className="muted">{message}</p>}
        {opened && displayWindow && (
          <>
            <div className="conflict-masks">
              <MaskPreview pixels={opened.slice.pixels} window={displayWindow} rle={opened.submitted.rle} color={0xff5a3c} label={`Submitted by ${opened.submitted.author}`} testId="review-submitted" />
              <MaskPreview pixels={opened.slice.pixels} window={displayWindow} rle={opened.previousAccepted?.rle ?? null} color={0x3fb950} label={opened.previousAccepted ? 'Previously accepted' : 'No accepted mask before'} testId="review-previous" />
            </div>
            {opened.item.warnings.map((w) => (
              <p key={w.code} className="badge badge-wait">
                {w.message}
              </p>
            ))}
            <textarea placeholder="Comment (needed to reject)" value={comment} onChange={(e) => setComment(e.target.value)} />
            <div className="actions">
              <button onClick={() => void decide('approve')}>Approve (A)</button>
              <button onClick={() => void decide('reject')}>Reject (R)</button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
