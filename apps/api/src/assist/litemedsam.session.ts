import fs from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';

/** model.json, written last by `python -m lesionlab_trainer.medsam.export`. */
export interface LiteMedSamInfo {
  name: string;
  version: string;
  weightsSha256: string;
  imageSize: number;
}

export interface Draft {
  /** imageSize² mask logits, row-major. */
  logits: Float32Array;
  score: number;
}

/** One exported LiteMedSAM: the image encoder (once per slice) and the prompt decoder (every prompt). */
export class LiteMedSamSession {
  private constructor(
    readonly info: LiteMedSamInfo,
    private readonly encoder: ort.InferenceSession,
    private readonly decoder: ort.InferenceSession,
  ) {}

  static async open(dir: string): Promise<LiteMedSamSession> {
    const info = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8')) as LiteMedSamInfo;
    // No spinning: onnxruntime's threads otherwise busy-wait between parallel sections, which on a 2-core machine
    // takes the CPU the other thread (or the rest of the API) needs. Encoder medians on one busy core: 1,196 ms
    // spinning, 1,052 not; idle-ish 808 and 734 (README, AI assist).
    const options: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', executionProviders: ['cpu'], extra: { session: { intra_op: { allow_spinning: '0' } } } };
    const [encoder, decoder] = await Promise.all([
      ort.InferenceSession.create(path.join(dir, 'encoder.onnx'), options),
      ort.InferenceSession.create(path.join(dir, 'decoder.onnx'), options),
    ]);
    return new LiteMedSamSession(info, encoder, decoder);
  }

  /** The image embedding of an 8-bit grey slice (any size; the graph resizes it to imageSize²). */
  async encode(grey: Uint8Array, width: number, height: number): Promise<ort.Tensor> {
    const image = new ort.Tensor('float32', Float32Array.from(grey), [1, 1, height, width]);
    const { embedding } = await this.encoder.run({ image });
    return embedding;
  }

  /** Box [x0,y0,x1,y1] and points (label 1 include, 0 exclude), all in the imageSize² frame. */
  async decode(embedding: ort.Tensor, box: Float32Array, pointCoords: Float32Array, pointLabels: Float32Array): Promise<Draft> {
    const points = pointLabels.length;
    const out = await this.decoder.run({
      embedding,
      box: new ort.Tensor('float32', box, [1, 4]),
      point_coords: new ort.Tensor('float32', pointCoords, [1, points, 2]),
      point_labels: new ort.Tensor('float32', pointLabels, [1, points]),
    });
    return { logits: out.logits.data as Float32Array, score: (out.score.data as Float32Array)[0] };
  }
}
