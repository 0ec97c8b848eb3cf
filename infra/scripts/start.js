// `npm start`: the whole platform on one machine. With no DATABASE_URL / REDIS_URL / S3_ENDPOINT it
// runs an embedded PostgreSQL (also the job queue) and keeps objects on the local filesystem.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { ROOT, log, killGroup } = require('./lib/shell');
const { platformEnv, ensureDatabaseExists } = require('./lib/platform-env');
const { ensureWebBuild } = require('./lib/web-build');
const { ensureTrainerVenv } = require('./lib/dependencies');

const COLORS = { api: 32, worker: 35, web: 34 };

/** Shows a service's JSON log lines as `time level message`, anything else as it is. */
function prettyLine(line) {
  try {
    const entry = JSON.parse(line);
    if (typeof entry.msg !== 'string') return line;
    const { time, level, msg, service: _s, context: _c, ...rest } = entry;
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${String(time).slice(11, 19)} ${String(level).padEnd(5)} ${msg}${extra}`;
  } catch {
    return line;
  }
}

function spawnService(name, args, env, cwd = ROOT) {
  const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`\x1b[${COLORS[name]}m${name.padEnd(6)}\x1b[0m ${prettyLine(line)}\n`);
    });
  }
  return child;
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** The embedded PostgreSQL in a detached process of its own (see embedded-postgres-host.js). */
function startDetachedPostgres(home, port) {
  const host = spawn(process.execPath, [path.join(__dirname, 'embedded-postgres-host.js'), home, String(port)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => host.once('exit', resolve));
  const stop = async () => {
    if (host.exitCode === null && host.signalCode === null) host.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    host.once('message', (message) => {
      if (message.error) return reject(new Error(`the embedded PostgreSQL did not start: ${message.error}`));
      resolve({ url: message.url, stop });
    });
    exited.then((code) => reject(new Error(`the embedded PostgreSQL stopped while starting (exit ${code})`)));
  });
}

async function start() {
  let embedded;
  let databaseUrl = process.env.DATABASE_URL;
  const home = path.resolve(ROOT, process.env.LESIONLAB_HOME || '.lesionlab');
  if (databaseUrl) {
    if (await ensureDatabaseExists(databaseUrl)) log('created the database named in DATABASE_URL');
  } else {
    embedded = await startDetachedPostgres(home, Number(process.env.EMBEDDED_POSTGRES_PORT || 54329));
    databaseUrl = embedded.url;
    log(`embedded PostgreSQL up (data in ${path.join(home, 'postgres')})`);
  }
  const env = platformEnv(process.env, databaseUrl);
  // the worker runs small training jobs on the CPU through the trainer's venv
  await ensureTrainerVenv();
  await ensureWebBuild(env);

  const register = ['-r', './infra/scripts/register.js'];
  const children = {
    api: spawnService('api', [...register, 'apps/api/src/main.ts'], env),
    worker: spawnService('worker', [...register, 'apps/worker/src/main.ts'], env),
    web: spawnService('web', ['-r', path.join(ROOT, 'infra/scripts/web-peer-address.js'), path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', env.WEB_PORT], env, path.join(ROOT, 'apps/web')),
  };

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    const exits = Object.values(children).map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : null));
    for (const child of Object.values(children)) killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => Object.values(children).forEach((c) => killGroup(c, 'SIGKILL')), 15000);
    await Promise.all(exits.filter(Boolean));
    clearTimeout(timer);
    if (embedded) await embedded.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const [name, child] of Object.entries(children)) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log(`${name} exited (${signal ?? code}); stopping the rest`);
      void stop(typeof code === 'number' && code !== 0 ? code : 1);
    });
  }

  const apiUp = await waitForHealth(`http://127.0.0.1:${env.PORT}/api/health`, 120000);
  const webUp = await waitForHealth(`http://127.0.0.1:${env.WEB_PORT}/`, 120000);
  if (!apiUp || !webUp) {
    log(`${apiUp ? 'web' : 'api'} did not become healthy in 2 minutes; see the lines above`);
    return stop(1);
  }
  log('LesionLab is running:');
  log(`  web        http://localhost:${env.WEB_PORT}`);
  log(`  api        http://localhost:${env.PORT}/api   (docs: http://localhost:${env.PORT}/api/docs)`);
  log(`  worker     http://localhost:${env.WORKER_HEALTH_PORT || 3001}/health`);
  log(`  database   ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'} · queue ${env.QUEUE_BACKEND} · storage ${env.STORAGE_DRIVER}`);
  log('Press Ctrl+C to stop everything.');
}

module.exports = { start };
