// A pixel worker thread (started by PixelWorkers): runs the task each message names and answers
// with its result (its buffers moved, not copied) or its error message.
import { parentPort } from 'node:worker_threads';
import { encodeSlice } from '../pixels/slice-encoding';
import { decodeImageFile } from './image-file-slice';
import { ownedBuffers, reviveBuffers } from './worker-buffers';

const TASKS = { decodeImageFile, encodeSlice };

export type PixelTasks = typeof TASKS;

export interface PixelRequest {
  id: number;
  task: keyof PixelTasks;
  args: unknown[];
}

export type PixelReply = { id: number; result: unknown } | { id: number; error: string };

parentPort?.on('message', async ({ id, task, args }: PixelRequest) => {
  let reply: PixelReply;
  try {
    reply = { id, result: await (TASKS[task] as (...args: unknown[]) => unknown)(...(reviveBuffers(args) as unknown[])) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply, ownedBuffers(reply));
});
