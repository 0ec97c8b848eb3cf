'use client';

import { useState } from 'react';
import styles from './account.module.css';

/** One page of a list held in full (tokens, users: tens, not thousands), with its position kept in range. */
export function usePage<T>(items: readonly T[], size: number) {
  const [requested, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(requested, pages - 1);
  return { rows: items.slice(page * size, (page + 1) * size), page, pages, setPage, total: items.length, size };
}

export function Pager({ page, pages, setPage, total, size, noun }: ReturnType<typeof usePage> & { noun: string }) {
  if (pages <= 1) return null;
  return (
    <nav className={styles.pager} aria-label={`${noun} pages`}>
      <button type="button" onClick={() => setPage(page - 1)} disabled={page === 0}>
        Previous
      </button>
      <span className="muted">
        {page * size + 1}–{Math.min(total, (page + 1) * size)} of {total} {noun}
      </span>
      <button type="button" onClick={() => setPage(page + 1)} disabled={page >= pages - 1}>
        Next
      </button>
    </nav>
  );
}
