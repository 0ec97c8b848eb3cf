/**
 * The trainer's JSON-line events (libs/contracts/schemas/trainer-events.schema.json), as the worker
 * reads them from its stdout.
 */
export type TrainerEvent =
  | { type: 'progress'; step: number; total_steps: number; epoch: number; images_per_s: number; eta_s: number | null; loss?: number; lr?: number }
  | { type: 'metric'; name: string; value: number | null; step?: number | null; split: 'train' | 'val' | 'test' }
  | { type: 'checkpoint'; path: string; step: number; final?: boolean }
  | { type: 'artifact'; kind: string; path: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warning' | 'error'; message: string }
  | { type: 'done'; summary?: Record<string, unknown> }
  | { type: 'error'; message: string; file?: string | null; traceback?: string | null };

const TYPES = new Set(['progress', 'metric', 'checkpoint', 'artifact', 'log', 'done', 'error']);

/** One stdout line as an event; a line that is not one (a stray print) becomes an info log. */
export function parseTrainerLine(line: string): TrainerEvent | null {
  const text = line.trim();
  if (!text) return null;
  try {
    const value = JSON.parse(text) as { type?: unknown };
    if (value && typeof value === 'object' && TYPES.has(value.type as string)) return value as TrainerEvent;
  } catch {
    // not JSON: fall through
  }
  return { type: 'log', level: 'info', message: text };
}
