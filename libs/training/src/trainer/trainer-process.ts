import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { parseTrainerLine, type TrainerEvent } from './trainer-events';

/** What to spawn: built by trainer-command.ts, the same for the worker and a hand-driven GPU run. */
export interface TrainerInvocation {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The trainer's own `error` event, when it sent one. */
  error: Extract<TrainerEvent, { type: 'error' }> | null;
  /** The last lines it wrote to stderr (its human log). */
  logTail: string[];
}

export interface RunningTrainer {
  pid: number | undefined;
  exited: Promise<TrainerExit>;
  /** SIGTERM, then SIGKILL when it is still running after the grace period. */
  stop(graceMs: number): Promise<TrainerExit>;
}

const LOG_TAIL_LINES = 40;

/**
 * Spawns the trainer and hands each stdout event to `onEvent`, one at a time and in order (the next
 * waits for the previous handler to finish, so a checkpoint is uploaded before later events count).
 */
export function startTrainer(invocation: TrainerInvocation, onEvent: (event: TrainerEvent) => Promise<void>): RunningTrainer {
  const child = spawn(invocation.command, invocation.args, {
    cwd: invocation.cwd,
    env: { ...process.env, ...invocation.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logTail: string[] = [];
  let error: TrainerExit['error'] = null;
  let handling: Promise<void> = Promise.resolve();
  let handlerFailure: Error | null = null;

  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    logTail.push(line);
    if (logTail.length > LOG_TAIL_LINES) logTail.shift();
  });
  const stdoutDone = new Promise<void>((resolve) => {
    readline
      .createInterface({ input: child.stdout! })
      .on('line', (line) => {
        const event = parseTrainerLine(line);
        if (!event) return;
        if (event.type === 'error') error = event;
        handling = handling.then(() => (handlerFailure ? undefined : onEvent(event))).catch((failure: Error) => {
          handlerFailure ??= failure;
          child.kill('SIGTERM');
        });
      })
      .on('close', resolve);
  });
  const processExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const exited = Promise.all([processExit, stdoutDone]).then(async ([exit]) => {
    await handling;
    if (handlerFailure) throw handlerFailure;
    return { ...exit, error, logTail: [...logTail] };
  });

  return {
    pid: child.pid,
    exited,
    async stop(graceMs: number) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}
