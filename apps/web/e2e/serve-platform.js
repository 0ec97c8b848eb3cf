// Playwright's web server: the whole platform (api, worker, web) on a fresh database of its own,
// started the way `npm start` starts it.
const path = require('node:path');
const { Client } = require('pg');

const { E2E_DATABASE } = require('./e2e-settings');

async function recreateDatabase(adminUrl) {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${E2E_DATABASE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${E2E_DATABASE}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${E2E_DATABASE}`;
  return url.toString();
}

async function main() {
  const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.DATABASE_URL = await recreateDatabase(adminUrl);
  require(path.resolve(__dirname, '../../../infra/scripts/start')).start();
}

main().catch((error) => {
  process.stderr.write(`e2e platform: ${error.message}\n`);
  process.exit(1);
});
