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
});
