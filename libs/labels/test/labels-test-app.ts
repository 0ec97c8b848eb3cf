import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { OBJECT_STORAGE, PlatformModule, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, testConfig, type TestDatabase } from '@lesionlab/platform/testing';
import { LabelsModule } from '../src/labels.module';

export interface LabelsTestContext {
  app: INestApplicationContext;
  database: TestDatabase;
  dataSource: DataSource;
  storage: ObjectStorage;
  close(): Promise<void>;
}

/** The labels module on a fresh, migrated database of its own and fs storage in a temporary folder. */
export async function createLabelsTestContext(): Promise<LabelsTestContext> {
  const database = await createTestDatabase();
  const config = testConfig({ DATABASE_URL: database.url });
  @Module({ imports: [PlatformModule.forRoot(config), LabelsModule] })
  class LabelsTestModule {}
  const app = await NestFactory.createApplicationContext(LabelsTestModule, { logger: false });
  return {
    app,
    database,
    dataSource: app.get(DataSource),
    storage: app.get(OBJECT_STORAGE),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
