/**
 * The log a finished run keeps: what its events said (stages, logs, errors, in order), then what only
 * stderr had (library warnings, a traceback). The trainer prints every log event on stderr as well,
 * so stderr lines already told by an event are dropped rather than shown twice.
 */
export function finalLogTail(fromEvents: readonly string[], fromStderr: readonly string[], limit: number): string[] {
  const told = new Set(fromEvents);
  return [...fromEvents, ...fromStderr.filter((line) => !told.has(line))].slice(-limit);
}
