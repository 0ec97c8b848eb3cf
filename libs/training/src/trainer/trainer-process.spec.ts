import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTrainer } from './trainer-process';

const ROOT = path.resolve(__dirname, '../../../..');

/** Alive and not a zombie (an orphan nobody reaps is dead for our purposes). */
function alive(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fake trainer: a shell that starts a grandchild (`sleep`) and writes both pids to `dir`. */
function fakeTrainer(dir: string, { ignoreSigterm = false } = {}): { command: string; args: string[] } {
  const script = `${ignoreSigterm ? "trap '' TERM; " : ''}sleep 300 & echo $! > "$0/grandchild"; echo $$ > "$0/trainer"; wait`;
  return { command: 'sh', args: ['-c', script, dir] };
}

const pidsIn = (dir: string) => () => {
  const read = (name: string) => {
    const text = fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8').trim() : '';
    return text ? Number(text) : undefined;
  };
  const trainer = read('trainer');
  const grandchild = read('grandchild');
  return trainer && grandchild ? { trainer, grandchild } : undefined;
};

describe('trainer processes: a minimal environment, a process group of their own, no orphans', () => {
  let dir: string;
  const stray: number[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesionlab-trainer-process-'));
  });
  afterEach(() => {
    for (const pid of stray.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the trainer none of the worker\'s secrets, only the allowlisted variables and its own', async () => {
    const secrets = { DATABASE_URL: 'postgres://u:p@db/x', SIGNING_SECRET: 's'.repeat(40), S3_SECRET_ACCESS_KEY: 'k', S3_ACCESS_KEY_ID: 'id', REDIS_URL: 'redis://r', SOMETHING_ELSE: 'x' };
    Object.assign(process.env, secrets, { NCCL_DEBUG: 'WARN' });
    try {
      const trainer = startTrainer({ command: process.execPath, args: ['-e', 'console.error(JSON.stringify(process.env))'], env: { CUDA_VISIBLE_DEVICES: '1', PYTHONUNBUFFERED: '1' } }, async () => undefined);
      const exit = await trainer.exited;
      expect(exit.code).toBe(0);
      const env = JSON.parse(exit.logTail.at(-1)!);
      for (const name of Object.keys(secrets)) expect(env).not.toHaveProperty(name);
      expect(env).toMatchObject({ PATH: process.env.PATH, CUDA_VISIBLE_DEVICES: '1', PYTHONUNBUFFERED: '1', NCCL_DEBUG: 'WARN' });
    } finally {
      for (const name of [...Object.keys(secrets), 'NCCL_DEBUG']) delete process.env[name];
    }
  });

  it('runs the trainer in its own process group and stops the whole group: trainer and grandchild', async () => {
    const { command, args } = fakeTrainer(dir);
    const trainer = startTrainer({ command, args, env: {} }, async () => undefined);
    const pids = await waitFor(pidsIn(dir), 'the fake trainer and its grandchild');
    stray.push(pids.trainer, pids.grandchild);
    expect(fs.readFileSync(`/proc/${pids.trainer}/stat`, 'utf8').split(') ')[1].split(' ')[3]).toBe(String(trainer.pid)); // its group
    const exit = await trainer.stop(5_000);
    expect(exit.signal).toBe('SIGTERM');
    await waitFor(() => (alive(pids.trainer) || alive(pids.grandchild) ? undefined : true), 'both to be gone', 3_000);
  });

  it('kills a group that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const { command, args } = fakeTrainer(dir, { ignoreSigterm: true });
    const trainer = startTrainer({ command, args, env: {} }, async () => undefined);
    const pids = await waitFor(pidsIn(dir), 'the fake trainer and its grandchild');
    stray.push(pids.trainer, pids.grandchild);
    const started = Date.now();
    const exit = await trainer.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(exit.signal).toBe('SIGKILL');
    await waitFor(() => (alive(pids.trainer) || alive(pids.grandchild) ? undefined : true), 'both to be gone', 3_000);
  });

  it('ends the trainer group when its worker dies with SIGKILL', async () => {
    const { command, args } = fakeTrainer(dir);
    const worker = spawn(process.execPath, ['-r', './infra/scripts/register.js', 'libs/training/test/trainer-holder.fixture.ts', command, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const pids = await waitFor(pidsIn(dir), 'the fake trainer and its grandchild', 30_000);
      stray.push(pids.trainer, pids.grandchild);
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      await waitFor(() => (alive(pids.trainer) || alive(pids.grandchild) ? undefined : true), 'the orphaned trainer and grandchild to be gone', 5_000);
    } finally {
      worker.kill('SIGKILL');
    }
  }, 40_000);
});
