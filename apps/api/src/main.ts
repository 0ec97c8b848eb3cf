import { migrateDatabase, startService } from '@lesionlab/platform';
import { FirstAdmin } from './auth/first-admin';
import { createApp } from './create-app';

void startService('api', async (config, logger) => {
  const applied = await migrateDatabase(config.DATABASE_URL);
  if (applied.length) logger.info({ applied }, 'database migrated');
  const app = await createApp(config, logger);
  await app.get(FirstAdmin).ensure();
  await app.listen(config.PORT);
  logger.info({ url: `http://localhost:${config.PORT}/api`, docs: `http://localhost:${config.PORT}/api/docs` }, 'api listening');
});
