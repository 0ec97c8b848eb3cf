import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** The GPU indices `nvidia-smi` lists on this machine; none when it is missing or fails. */
export async function detectGpus(): Promise<string[]> {
  try {
    const { stdout } = await promisify(execFile)('nvidia-smi', ['--query-gpu=index', '--format=csv,noheader'], { timeout: 10000 });
    return stdout.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l));
  } catch {
    return [];
  }
}

/**
 * Hands out this worker's GPUs to its jobs: each job holds the indices it was given until it
 * releases them; a job that asks for more than are free waits (first come, first served).
 */
export class GpuAllocator {
  private readonly free: string[];
  private readonly waiting: Array<{ count: number; grant: (gpus: string[]) => void }> = [];

  constructor(readonly devices: readonly string[]) {
    this.free = [...devices];
  }

  acquire(count: number): Promise<string[]> {
    if (count > this.devices.length) {
      return Promise.reject(new Error(`the run asks for ${count} GPUs; this worker has ${this.devices.length}`));
    }
    return new Promise((grant) => {
      this.waiting.push({ count, grant });
      this.grantWaiting();
    });
  }

  release(gpus: string[]): void {
    this.free.push(...gpus);
    this.free.sort((a, b) => Number(a) - Number(b));
    this.grantWaiting();
  }

  private grantWaiting(): void {
    while (this.waiting.length && this.waiting[0].count <= this.free.length) {
      const next = this.waiting.shift()!;
      next.grant(this.free.splice(0, next.count));
    }
  }
}
