'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../../lib/api';

const POLL_MS = 1000;

export interface Polled<T> {
  data: T | null;
  error: string | null;
  /** Loads again now (after a change this page made). */
  reload: () => void;
}

/**
 * Loads with `load` (again when `key`, what it loads, changes), and again every second while
 * `pending(data)` holds (a build or an export still running).
 */
export function usePolled<T>(key: string, load: () => Promise<T>, pending: (data: T) => boolean): Polled<T> {
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let cancelled = false;
    loader.current().then(
      (loaded) => {
        if (cancelled) return;
        setData(loaded);
        setError(null);
      },
      (e: unknown) => !cancelled && setError(messageOf(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [key, generation]);

  const waiting = data !== null && pending(data);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, data, reload]);

  return { data, error, reload };
}
