import { contractValidator, describeSchemaErrors } from '@lesionlab/contracts/trainer';
import type { TrainerEvent } from '@lesionlab/contracts/trainer';

/** The trainer's JSON-line events: the type is generated from libs/contracts/schemas/trainer-events.schema.json. */
export type { TrainerEvent };

const SCHEMA = 'trainer-events.schema.json';
const TYPES = new Set(['progress', 'metric', 'checkpoint', 'artifact', 'stage', 'log', 'done', 'error']);
const QUOTED_LINE = 300;

/**
 * An `error` event for a stdout line that claims to be an event but breaks the schema: the trainer
 * process keeps it as its error, so the job fails with this message once the trainer ends.
 */
function broken(line: string, why: string): TrainerEvent {
  const quoted = line.length > QUOTED_LINE ? `${line.slice(0, QUOTED_LINE)}…` : line;
  return { type: 'error', time: Date.now() / 1000, message: `the trainer wrote a line that ${why}: ${quoted}`, file: null, traceback: null };
}

/** Why an event-type name is not one: the per-type check below needs a known type. */
function unknownType(value: object): string | null {
  const type = (value as { type?: unknown }).type;
  if (typeof type === 'string' && TYPES.has(type)) return null;
  return `breaks ${SCHEMA} at /type: must be one of ${[...TYPES].join(', ')} (got ${JSON.stringify(type) ?? 'nothing'})`;
}

/**
 * One stdout line as an event, checked against the schema (never cast). The trainer writes only
 * events to stdout; a line that does not start with `{` is stray output of some library and is kept
 * as an info log. A line that starts with `{` but is not JSON or breaks the schema becomes an
 * `error` event naming the rule it broke.
 */
export function parseTrainerLine(line: string): TrainerEvent | null {
  const text = line.trim();
  if (!text) return null;
  if (!text.startsWith('{')) return { type: 'log', time: Date.now() / 1000, level: 'info', message: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return broken(text, `is not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null) return broken(text, 'is not a JSON object');
  const badType = unknownType(value);
  if (badType) return broken(text, badType);
  // the event type's own definition first: its first error names the field, where the oneOf of the whole schema would not
  const type = (value as { type: string }).type;
  const ofType = contractValidator(SCHEMA, type);
  if (!ofType(value)) return broken(text, `breaks ${SCHEMA} (${type} event) ${describeSchemaErrors(ofType.errors)}`);
  const event = contractValidator<TrainerEvent>(SCHEMA);
  if (!event(value)) return broken(text, `breaks ${SCHEMA} ${describeSchemaErrors(event.errors)}`);
  return value;
}
