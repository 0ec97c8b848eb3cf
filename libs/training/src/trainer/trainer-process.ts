import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { trainerEnvironment } from './trainer-environment';
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
  /** The trainer's process group (its guard's pid). */
  pid: number | undefined;
  exited: Promise<TrainerExit>;
  /** SIGTERM to the whole process group, then SIGKILL when it is still running after the grace period. */
  stop(graceMs: number): Promise<TrainerExit>;
}

const LOG_TAIL_LINES = 40;
/** How long an orphaned trainer group gets between SIGTERM and SIGKILL once its worker is gone. */
export const ORPHAN_GRACE_MS = 5_000;
const GUARD = path.join(__dirname, 'trainer-guard.js');

/**
 * Spawns the trainer in a process group of its own, led by trainer-guard.js, with a minimal
 * environment, and hands each stdout event to `onEvent`, one at a time and in order (the next waits
 * for the previous handler to finish, so a checkpoint is uploaded before later events count). Stopping
 * signals the whole group; should this process die, the guard sees its stdin close and ends the group.
 */
export function startTrainer(invocation: TrainerInvocation, onEvent: (event: TrainerEvent) => Promise<void>): RunningTrainer {
  const child = spawn(process.execPath, [GUARD, String(ORPHAN_GRACE_MS), invocation.command, ...invocation.args], {
    cwd: invocation.cwd,
    env: trainerEnvironment(process.env, invocation.env),
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
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
          signalGroup('SIGTERM');
        });
      })
      .on('close', resolve);
  });
  const processExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    // Whatever the trainer left behind in its group goes with it (and lets its stdout close).
    child.once('exit', () => signalGroup('SIGKILL'));
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
        signalGroup('SIGTERM');
        const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
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
