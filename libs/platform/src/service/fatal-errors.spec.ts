import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/** Runs a service-like script that installs the handlers and then fails the given way. */
function failing(how: string) {
  const script = `
    const { createLogger } = require('./libs/platform/src/logging/logger');
    const { exitOnFatalErrors } = require('./libs/platform/src/service/fatal-errors');
    exitOnFatalErrors(createLogger('probe'));
    ${how}`;
  return spawnSync(process.execPath, ['-r', './infra/scripts/register.js', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe('exitOnFatalErrors', () => {
  it('logs an uncaught exception as a fatal line with its stack and exits 1', () => {
    const result = failing(`setTimeout(() => { throw new Error('stream exploded'); }, 10);`);
    expect(result.status).toBe(1);
    const line = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ level: 'fatal', service: 'probe', msg: 'uncaught exception: stream exploded' });
    expect(line.err.stack).toMatch(/stream exploded/);
  });

  it('logs an unhandled promise rejection the same way and exits 1', () => {
    const result = failing(`Promise.reject(new Error('nobody awaited this'));`);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({ level: 'fatal', msg: 'unhandled promise rejection: nobody awaited this' });
  });
});
