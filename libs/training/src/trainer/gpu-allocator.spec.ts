import { GpuAllocator } from './gpu-allocator';

/** Resolves with the grants that have settled so far, in order, without waiting for the rest. */
async function settled(promises: Array<Promise<string[]>>): Promise<Array<string[] | 'waiting'>> {
  const marks = promises.map((p) => Promise.race([p, new Promise<'waiting'>((resolve) => setImmediate(() => resolve('waiting')))]));
  return Promise.all(marks);
}

describe('GpuAllocator', () => {
  it.each([
    { devices: ['0', '1', '2', '3'], asks: [1, 2, 1], grants: [['0'], ['1', '2'], ['3']] },
    { devices: ['0', '1'], asks: [2], grants: [['0', '1']] },
    { devices: ['0', '1'], asks: [1, 2], grants: [['0'], 'waiting'] },
    { devices: ['0', '1', '2'], asks: [2, 2, 1], grants: [['0', '1'], 'waiting', 'waiting'] },
  ])('hands $devices to jobs asking $asks as $grants', async ({ devices, asks, grants }) => {
    const gpus = new GpuAllocator(devices);
    expect(await settled(asks.map((n) => gpus.acquire(n)))).toEqual(grants);
  });

  it('serves waiting jobs first come, first served as GPUs come back, lowest indices first', async () => {
    const gpus = new GpuAllocator(['0', '1', '2']);
    const first = await gpus.acquire(2);
    const big = gpus.acquire(2);
    const small = gpus.acquire(1); // one GPU is free, but the bigger job asked first
    expect(await settled([big, small])).toEqual(['waiting', 'waiting']);
    gpus.release(first);
    expect(await settled([big, small])).toEqual([['0', '1'], ['2']]);
  });

  it('refuses a job asking for more GPUs than the worker has, naming both numbers', async () => {
    await expect(new GpuAllocator(['0']).acquire(2)).rejects.toThrow('the run asks for 2 GPUs; this worker has 1');
    await expect(new GpuAllocator([]).acquire(1)).rejects.toThrow('the run asks for 1 GPUs; this worker has 0');
  });
});
