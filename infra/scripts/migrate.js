// `npm run db:migrate`: brings the database at DATABASE_URL (or the embedded one) to the current schema.
const path = require('node:path');
const { ROOT, log } = require('./lib/shell');
const { startEmbeddedPostgres } = require('./lib/services');

async function migrate() {
  let embedded;
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(path.resolve(ROOT, process.env.LESIONLAB_HOME || '.lesionlab'), Number(process.env.EMBEDDED_POSTGRES_PORT || 54329));
    databaseUrl = embedded.url;
  }
  require('./register');
  const { migrateDatabase } = require('../../libs/platform/src/database/migrate.ts');
  try {
    const applied = await migrateDatabase(databaseUrl);
    log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the database is up to date');
  } finally {
    if (embedded) await embedded.stop();
  }
}

module.exports = { migrate };
