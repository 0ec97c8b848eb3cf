// Times the mask codecs and component labelling on realistic lesion masks (a few irregular
// elliptical blobs, about 5% foreground). Prints one JSON object and writes it to bench/results/mask.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  BinaryMask,
  connectedComponents,
  decodeCocoRle,
  decodeCompactMask,
  encodeCocoRle,
  encodeCompactMask,
  maskArea,
} from '../libs/mask/src';

interface Blob {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
}

// Centres and radii as fractions of the side, so both sizes hold the same picture.
const BLOBS: Blob[] = [
  { cx: 0.3, cy: 0.42, rx: 0.1, ry: 0.07, angle: 0.5 },
  { cx: 0.68, cy: 0.5, rx: 0.08, ry: 0.11, angle: -0.3 },
  { cx: 0.52, cy: 0.78, rx: 0.05, ry: 0.035, angle: 1.2 },
  { cx: 0.22, cy: 0.7, rx: 0.02, ry: 0.025, angle: 0 },
];

function lesionMask(side: number): BinaryMask {
  const data = new Uint8Array(side * side);
  for (const blob of BLOBS) {
    const cos = Math.cos(blob.angle);
    const sin = Math.sin(blob.angle);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const dx = x / side - blob.cx;
        const dy = y / side - blob.cy;
        const u = (dx * cos + dy * sin) / blob.rx;
        const v = (dy * cos - dx * sin) / blob.ry;
        // A wavy border, as lesion outlines are not smooth ellipses.
        const border = 1 + 0.12 * Math.sin(5 * Math.atan2(v, u)) + 0.05 * Math.sin(13 * Math.atan2(v, u));
        if (u * u + v * v <= border * border) data[y * side + x] = 1;
      }
    }
  }
  return { width: side, height: side, data };
}

interface Result {
  name: string;
  size: string;
  median_ms: number;
  p95_ms: number;
  iterations: number;
}

let sink = 0;

function time(name: string, mask: BinaryMask, iterations: number, run: () => number): Result {
  const warmUp = Math.max(50, iterations / 5);
  for (let i = 0; i < warmUp; i++) sink += run();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    sink += run();
    samples[i] = performance.now() - start;
  }
  samples.sort();
  const round = (ms: number) => Math.round(ms * 1e4) / 1e4;
  return {
    name,
    size: `${mask.width}x${mask.height}`,
    median_ms: round(samples[Math.floor(iterations / 2)]),
    p95_ms: round(samples[Math.floor(iterations * 0.95)]),
    iterations,
  };
}

const results: Result[] = [];
const foreground: Record<string, number> = {};
for (const [side, iterations] of [
  [512, 3000],
  [1024, 800],
] as const) {
  const mask = lesionMask(side);
  foreground[`${side}x${side}`] = Math.round((maskArea(mask) / (side * side)) * 1e4) / 1e4;
  const rle = encodeCocoRle(mask);
  const compact = encodeCompactMask(mask);
  results.push(
    time('coco-rle-encode', mask, iterations, () => encodeCocoRle(mask).counts.length),
    time('coco-rle-decode', mask, iterations, () => decodeCocoRle(rle).data[0]),
    time('coco-rle-encode+decode', mask, iterations, () => decodeCocoRle(encodeCocoRle(mask)).data[0]),
    time('compact-encode', mask, iterations, () => encodeCompactMask(mask).length),
    time('compact-decode', mask, iterations, () => decodeCompactMask(compact).data[0]),
    time('components', mask, Math.round(iterations / 4), () => connectedComponents(mask).components.length),
  );
}

const cpuList = cpus();
const report = {
  benchmark: 'mask',
  machine: { cpu: cpuList[0]?.model ?? 'unknown', cores: cpuList.length, node: process.version },
  foreground_fraction: foreground,
  results,
};
// Uses the results, so no timed call can be optimised away.
if (!Number.isFinite(sink)) throw new Error('benchmark produced no results');

const json = JSON.stringify(report);
mkdirSync(join(__dirname, 'results'), { recursive: true });
writeFileSync(join(__dirname, 'results', 'mask.json'), `${json}\n`);
console.log(json);
