// The environment `npm start` gives api, worker and web: the user's settings, with embedded defaults.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./shell');

/** A signing secret generated once per LESIONLAB_HOME, so presigned URLs survive restarts. */
function persistentSecret(home) {
  const file = path.join(home, 'signing-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function platformEnv(base, databaseUrl) {
  const home = path.resolve(ROOT, base.LESIONLAB_HOME || '.lesionlab');
  const port = base.PORT || '3000';
  return {
    ...base,
    LESIONLAB_HOME: home,
    DATABASE_URL: databaseUrl,
    QUEUE_BACKEND: base.QUEUE_BACKEND || (base.REDIS_URL ? 'redis' : 'postgres'),
    STORAGE_DRIVER: base.STORAGE_DRIVER || (base.S3_ENDPOINT ? 's3' : 'fs'),
    SIGNING_SECRET: base.SIGNING_SECRET || persistentSecret(home),
    PORT: port,
    WEB_PORT: base.WEB_PORT || '4200',
    PUBLIC_API_URL: base.PUBLIC_API_URL || `http://localhost:${port}`,
    LESIONLAB_API_URL: base.LESIONLAB_API_URL || `http://127.0.0.1:${port}`,
    CORS_ORIGINS: base.CORS_ORIGINS || `http://localhost:${base.WEB_PORT || '4200'},http://127.0.0.1:${base.WEB_PORT || '4200'}`,
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

/** Creates the database DATABASE_URL names when its server is up but the database is not there yet. */
async function ensureDatabaseExists(databaseUrl) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return false;
  } catch (error) {
    if (error.code !== '3D000') return false; // anything else is reported by the api with DATABASE_URL named
    const url = new URL(databaseUrl);
    const name = decodeURIComponent(url.pathname.slice(1));
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    await admin.end();
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

module.exports = { platformEnv, ensureDatabaseExists };
