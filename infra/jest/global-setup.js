// Finds or starts the real services the integration tests talk to, once per jest run.
const { ensureLocalPostgres, ensureRedis, ensureS3TestServer } = require('../scripts/lib/services');

module.exports = async function globalSetup() {
  if (globalThis.__lesionlabServices) return;
  const [databaseUrl, redisUrl, s3] = await Promise.all([ensureLocalPostgres(), ensureRedis(), ensureS3TestServer()]);
  process.env.TEST_DATABASE_URL = databaseUrl;
  process.env.TEST_REDIS_URL = redisUrl;
  process.env.TEST_S3_ENDPOINT = s3.endpoint;
  process.env.TEST_S3_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.TEST_S3_SECRET_ACCESS_KEY = s3.secretAccessKey;
  process.env.TEST_S3_BUCKET = s3.bucket;
  // jest compiles TypeScript its own way; worker threads the code starts load it through this hook
  process.env.LESIONLAB_TS_HOOK = require.resolve('../scripts/register.js');
  globalThis.__lesionlabServices = { s3 };
};
