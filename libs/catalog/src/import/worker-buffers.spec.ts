import { MessageChannel } from 'node:worker_threads';
import sharp from 'sharp';
import { ownedBuffers, reviveBuffers } from './worker-buffers';

describe('worker message buffers', () => {
  it('turns plain Uint8Arrays back into Buffers over the same memory', () => {
    const bytes = new Uint8Array([1, 2, 3, 4]).subarray(1, 3);
    const revived = reviveBuffers({ a: [bytes], b: { n: 1 } }) as { a: Buffer[]; b: { n: number } };
    expect(Buffer.isBuffer(revived.a[0])).toBe(true);
    expect([...revived.a[0]]).toEqual([2, 3]);
    expect(revived.a[0].buffer).toBe(bytes.buffer);
    expect(revived.b).toEqual({ n: 1 });
  });

  it('moves only buffers that own all of their memory', () => {
    const owned = Buffer.alloc(10_000);
    const pooled = Buffer.from('small'); // a slice of Node's shared pool
    const view = owned.subarray(10);
    expect(ownedBuffers({ owned, pooled, list: [view, owned] })).toEqual([owned.buffer]);
  });

  it('copies memory libvips owns instead of moving it, so posting the message does not throw', async () => {
    const encoded = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toBuffer();
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => port1.postMessage({ encoded }, ownedBuffers({ encoded }))).not.toThrow();
    } finally {
      port1.close();
      port2.close();
    }
  });
});
