/**
 * Seconds left at the average rate since the start, or null while there is too little to go on
 * (nothing done yet, or under a second of it).
 */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0 || elapsedMs < 1000) return null;
  if (done >= total) return 0;
  return ((total - done) / done) * (elapsedMs / 1000);
}

/** A size for people: `812 B`, `4.2 KB`, `7.3 MB`, `1.20 GB` (powers of 1000, as file browsers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}
