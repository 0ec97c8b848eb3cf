// The worker thread that runs LiteMedSAM (see litemedsam.thread.ts): it owns the ONNX sessions and the
// image embeddings, so a prompt only ships a box and points in and a COCO RLE out.
import { parentPort } from 'node:worker_threads';
import type { Tensor } from 'onnxruntime-node';
import { LruMap } from '@lesionlab/labels';
import { encodeCocoRle } from '@lesionlab/mask';
import { clipToBox } from './box-clip';
import { logitsToMask } from './draft-mask';
import { LiteMedSamSession } from './litemedsam.session';
import type { ThreadReply, ThreadRequest, ThreadResult } from './litemedsam.thread';

/** Image embeddings kept: 4 MiB each (256×64×64 floats), so the recent slices of a few annotators. */
const EMBEDDING_CACHE_SIZE = 64;

const sessions = new Map<string, Promise<LiteMedSamSession>>();
const embeddings = new LruMap<string, Tensor>(EMBEDDING_CACHE_SIZE);

function session(dir: string): Promise<LiteMedSamSession> {
  let opened = sessions.get(dir);
  if (!opened) {
    opened = LiteMedSamSession.open(dir);
    opened.catch(() => sessions.delete(dir));
    sessions.set(dir, opened);
  }
  return opened;
}

async function handle(request: ThreadRequest): Promise<ThreadResult> {
  const model = await session(request.modelDir);
  if (request.kind === 'info') return { kind: 'info', info: model.info };
  if (request.kind === 'encode') {
    // A repeated prepare (the slice opened again, the tool picked again) finds the embedding kept.
    if (!embeddings.get(request.key)) embeddings.set(request.key, await model.encode(request.grey, request.width, request.height));
    return { kind: 'encoded' };
  }
  const embedding = embeddings.get(request.key);
  if (!embedding) return { kind: 'missing' };
  const { logits, score } = await model.decode(embedding, request.box, request.pointCoords, request.pointLabels);
  const draft = clipToBox(logitsToMask(logits, model.info.imageSize, request.size), request.box, model.info.imageSize, request.size);
  const rle = encodeCocoRle(draft);
  return { kind: 'draft', rle, score, model: { name: model.info.name, version: model.info.version } };
}

parentPort?.on('message', (request: ThreadRequest) => {
  handle(request).then(
    (result) => parentPort?.postMessage({ id: request.id, result } satisfies ThreadReply),
    (error: Error) => parentPort?.postMessage({ id: request.id, error: error.message } satisfies ThreadReply),
  );
});
