import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PixelReply, PixelRequest, PixelTasks } from './pixel-tasks';
import { reviveBuffers } from './worker-buffers';

/**
 * Loads the worker's TypeScript through the SWC hook the process was started with (workers inherit
 * its `-r`). Where there is none (jest transforms files its own way), the hook named by
 * LESIONLAB_TS_HOOK (jest's global setup sets it).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (!require.extensions['.ts']) require(workerData.register);
require(workerData.entry);
`;

function typescriptHook(): string | undefined {
  if (require.extensions?.['.ts']) return undefined;
  const hook = process.env.LESIONLAB_TS_HOOK;
  if (!hook) throw new Error('pixel workers need a TypeScript hook: start node with -r infra/scripts/register.js, or set LESIONLAB_TS_HOOK to it');
  return hook;
}

type Task = keyof PixelTasks;
type Result<K extends Task> = Awaited<ReturnType<PixelTasks[K]>>;

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>;
}

/**
 * The pixel work of imports (decoding, PNG encoding, thumbnails, hashes, mask RLE) on worker threads,
 * leaving the main thread the database, the storage writes and the mask facts. A task goes to the
 * thread with the fewest in flight; idle threads do not keep the process alive.
 */
export class PixelWorkers {
  private readonly threads: (Thread | null)[];
  private nextId = 0;

  constructor(size: number) {
    this.threads = Array.from({ length: size }, () => null);
  }

  run<K extends Task>(task: K, ...args: Parameters<PixelTasks[K]>): Promise<Result<K>> {
    const index = this.threads.reduce((best, thread, i) => ((thread?.pending.size ?? 0) < (this.threads[best]?.pending.size ?? 0) ? i : best), 0);
    const thread = (this.threads[index] ??= this.start(index));
    const id = this.nextId++;
    return new Promise<Result<K>>((resolve, reject) => {
      thread.worker.postMessage({ id, task, args } satisfies PixelRequest);
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private start(index: number): Thread {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { register: typescriptHook(), entry: require.resolve('./pixel-worker') } });
    const thread: Thread = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (reply: PixelReply) => {
      const pending = thread.pending.get(reply.id);
      if (!pending) return;
      thread.pending.delete(reply.id);
      if (thread.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reviveBuffers(reply.result));
    });
    // A thread that dies fails what it held; the next task starts a fresh one.
    const fail = (error: Error) => {
      if (this.threads[index] === thread) this.threads[index] = null;
      for (const { reject } of thread.pending.values()) reject(error);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a pixel worker stopped (exit code ${code})`)));
    return thread;
  }
}

let shared: PixelWorkers | null = null;

/** The process's pixel workers, one per core: the main thread mostly waits on the database and storage, so it needs no core of its own. */
export function pixelWorkers(): PixelWorkers {
  return (shared ??= new PixelWorkers(os.availableParallelism()));
}
