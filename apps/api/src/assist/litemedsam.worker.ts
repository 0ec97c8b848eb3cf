// The worker thread that runs LiteMedSAM (see litemedsam.thread.ts): it owns the ONNX sessions and the
// image embeddings, so a prompt only ships a box and points in and a COCO RLE out.
import { parentPort } from 'node:worker_threads';
import type { Tensor } from 'onnxruntime-node';
import { LruMap } from '@lesionlab/labels';
import { encodeCocoRle } from '@lesionlab/mask';
import { clipToBox } from './box-clip';
import { logitsToMask, toNetworkFrame, type SliceSize } from './draft-mask';
import { LiteMedSamSession } from './litemedsam.session';
import type { ThreadReply, ThreadRequest, ThreadResult } from './litemedsam.thread';

/** Image embeddings kept: 4 MiB each (256×64×64 floats; 8 MiB from an export with the left-right view), so the
 * recent slices of a few annotators. */
const EMBEDDING_CACHE_SIZE = 64;

const sessions = new Map<string, Promise<LiteMedSamSession>>();
const embeddings = new LruMap<string, Tensor>(EMBEDDING_CACHE_SIZE);
/** Encoder runs under way: a prompt racing its slice's prepare (or another prompt) waits for the one run. */
const encoding = new Map<string, Promise<Tensor>>();

function session(dir: string): Promise<LiteMedSamSession> {
  let opened = sessions.get(dir);
  if (!opened) {
    opened = LiteMedSamSession.open(dir);
    opened.catch(() => sessions.delete(dir));
    sessions.set(dir, opened);
  }
  return opened;
}

/** The kept embedding of `key`, the one being computed, or a new one from `grey`; null if none and no pixels. */
function embedding(model: LiteMedSamSession, key: string, image?: { grey: Uint8Array; size: SliceSize }): Promise<Tensor> | null {
  const kept = embeddings.get(key);
  if (kept) return Promise.resolve(kept);
  let running = encoding.get(key);
  if (!running && image) {
    running = model
      .encode(image.grey, image.size.width, image.size.height)
      .then((computed) => {
        embeddings.set(key, computed);
        return computed;
      })
      .finally(() => encoding.delete(key));
    encoding.set(key, running);
  }
  return running ?? null;
}

async function handle(request: ThreadRequest): Promise<ThreadResult> {
  const model = await session(request.modelDir);
  if (request.kind === 'info') return { kind: 'info', info: model.info };
  if (request.kind === 'encode') {
    // A repeated prepare (the slice opened again, the tool picked again) finds the embedding kept.
    await embedding(model, request.key, request);
    return { kind: 'encoded' };
  }
  const { grey, size } = request;
  const encoded = await embedding(model, request.key, grey && { grey, size });
  if (!encoded) return { kind: 'missing' };
  const side = model.info.imageSize;
  const frame = toNetworkFrame(size, side);
  const box = frame.box(request.box);
  const { coords, labels } = frame.points(request.points);
  const { logits, score } = await model.decode(encoded, box, coords, labels);
  const rle = encodeCocoRle(clipToBox(logitsToMask(logits, side, size), box, side, size));
  return { kind: 'draft', rle, score, model: { name: model.info.name, version: model.info.version } };
}

parentPort?.on('message', (request: ThreadRequest) => {
  handle(request).then(
    (result) => parentPort?.postMessage({ id: request.id, result } satisfies ThreadReply),
    (error: Error) => parentPort?.postMessage({ id: request.id, error: error.message } satisfies ThreadReply),
  );
});
