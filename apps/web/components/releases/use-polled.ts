'use client';

import { useCallback, useEffect, useState } from 'react';
import { getJson } from './api';

const POLL_MS = 1000;

export interface Polled<T> {
  data: T | null;
  error: string | null;
  /** Loads again now (after a change this page made). */
  reload: () => void;
}

/** GETs `path`, and again every second while `pending(data)` holds (a build or an export still running). */
export function usePolled<T>(path: string, pending: (data: T) => boolean): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    getJson<T>(path).then(
      (loaded) => {
        if (cancelled) return;
        setData(loaded);
        setError(null);
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [path, generation]);

  const waiting = data !== null && pending(data);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, data, reload]);

  return { data, error, reload };
}
