// Buffers across worker messages. Structured cloning turns a Buffer into a plain Uint8Array; a
// buffer that has its memory to itself can be moved instead of copied. The checks hold for values
// of any realm (a message arrives in the main context, not in a test runner's sandbox).
import workerThreads from 'node:worker_threads';

/**
 * Memory a native addon owns (libvips' output buffers) cannot be moved: Node 22+ marks it and refuses
 * the whole message ("Cannot transfer object of unsupported type"), so it is copied instead. Node 20
 * has no such mark and moves it.
 */
const untransferable: (memory: ArrayBufferLike) => boolean = workerThreads.isMarkedAsUntransferable ?? (() => false);

/** Turns the plain Uint8Arrays of a received message back into Buffers, in place, through arrays and plain objects. */
export function reviveBuffers(value: unknown): unknown {
  if (isUint8Array(value)) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveBuffers(value[i]);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) value[key] = reviveBuffers(value[key]);
  }
  return value;
}

/**
 * The memory of the buffers in a message that own all of theirs (not slices of Node's shared pool),
 * for postMessage's transfer list: moved, they cost no copy, and the sender must not touch them again.
 */
export function ownedBuffers(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (isUint8Array(value)) {
    const memory = value.buffer;
    if (value.byteOffset === 0 && value.byteLength === memory.byteLength && tagOf(memory) === 'ArrayBuffer' && !untransferable(memory)) found.add(memory as ArrayBuffer);
  } else if (Array.isArray(value)) {
    for (const item of value) ownedBuffers(item, found);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) ownedBuffers(item, found);
  }
  return [...found];
}

function tagOf(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && tagOf(value) === 'Uint8Array';
}

/** An object literal's kind: its prototype is some realm's Object.prototype (or none). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
