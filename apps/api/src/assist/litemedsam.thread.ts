import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AssistModelRef, AssistPoint, CocoRle } from '@lesionlab/contracts';
import type { SliceSize } from './draft-mask';
import type { LiteMedSamInfo } from './litemedsam.session';

type Request =
  | { kind: 'info'; modelDir: string }
  | { kind: 'encode'; modelDir: string; key: string; grey: Uint8Array; size: SliceSize }
  /**
   * A box and points in slice pixels. `grey` (the 8-bit slice at `size`) comes with a slice the thread may not
   * have encoded: it encodes it first, in the same round trip; without it a slice not encoded is `missing`.
   */
  | { kind: 'decode'; modelDir: string; key: string; box: readonly number[]; points: readonly AssistPoint[]; size: SliceSize; grey?: Uint8Array };
export type ThreadRequest = Request & { id: number };

export type ThreadResult =
  | { kind: 'info'; info: LiteMedSamInfo }
  | { kind: 'encoded' }
  /** The embedding of `key` is neither cached nor being computed: ask again with the slice's pixels. */
  | { kind: 'missing' }
  | { kind: 'draft'; rle: CocoRle; score: number; model: AssistModelRef };
export type ThreadReply = { id: number; result: ThreadResult } | { id: number; error: string };

/**
 * Loads the worker's TypeScript through the SWC hook the process was started with, or the project's
 * where there is none (jest) — as the catalog's pixel workers do.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (!require.extensions['.ts']) require(workerData.register);
require(workerData.entry);
`;
const REGISTER = path.resolve(__dirname, '../../../../infra/scripts/register.js');

/**
 * LiteMedSAM on one worker thread: onnxruntime's own threads do the maths, the thread keeps the
 * sessions and embeddings, and the API's event loop stays free. (In jest's sandbox onnxruntime-node
 * cannot run on the test's thread at all: its tensors fail the sandbox's `instanceof Float32Array`.)
 */
export class LiteMedSamThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (result: ThreadResult) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  run<K extends ThreadResult['kind']>(request: Request): Promise<ThreadResult & { kind: K }> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve: resolve as (result: ThreadResult) => void, reject });
      worker.postMessage({ ...request, id } satisfies ThreadRequest);
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { register: REGISTER, entry: require.resolve('./litemedsam.worker') } });
    worker.unref();
    worker.on('message', (reply: ThreadReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.result);
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the LiteMedSAM thread stopped (exit code ${code})`)));
    return worker;
  }
}
