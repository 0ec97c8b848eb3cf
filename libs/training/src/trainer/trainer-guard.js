'use strict';
/*
 * The leader of a trainer's process group: the worker spawns this detached, with a pipe as stdin, and it
 * runs the trainer command as its child. When the worker is gone (its end of the pipe closes, as when it
 * is killed with SIGKILL), the guard ends the whole group: SIGTERM, then SIGKILL after the grace period,
 * so neither the trainer nor anything it started outlives its worker. Otherwise it only relays the
 * trainer's exit. Plain JavaScript: it starts with `node` alone, without the TypeScript toolchain.
 *
 * usage: node trainer-guard.js <grace ms> <command> [args…]
 */
const { spawn } = require('node:child_process');

const [graceMs, command, ...args] = process.argv.slice(2);
const signalGroup = (signal) => {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // the group is already gone
  }
};

// The worker stops a trainer by signalling the whole group; the trainer acts on it, the guard waits for its exit.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => undefined);

let orphaned = false;
const trainer = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
trainer.on('error', (error) => {
  process.stderr.write(`cannot start the trainer (${command}): ${error.message}\n`);
  process.exit(127);
});
trainer.on('exit', (code, signal) => {
  if (orphaned) signalGroup('SIGKILL');
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});

const workerGone = () => {
  if (orphaned) return;
  orphaned = true;
  signalGroup('SIGTERM');
  setTimeout(() => signalGroup('SIGKILL'), Number(graceMs));
};
process.stdin.on('data', () => undefined);
process.stdin.on('end', workerGone);
process.stdin.on('error', workerGone);
