// A pixel worker thread (started by PixelWorkers): runs the task each message names and answers
// with its result (its buffers moved, not copied) or its error message.
import { parentPort } from 'node:worker_threads';
import { PIXEL_TASKS, type PixelReply, type PixelRequest } from './pixel-tasks';
import { ownedBuffers, reviveBuffers } from './worker-buffers';

parentPort?.on('message', async ({ id, task, args }: PixelRequest) => {
  let reply: PixelReply;
  try {
    reply = { id, result: await (PIXEL_TASKS[task] as (...args: unknown[]) => unknown)(...(reviveBuffers(args) as unknown[])) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply, ownedBuffers(reply));
});
