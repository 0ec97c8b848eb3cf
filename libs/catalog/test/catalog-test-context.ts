import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { ImportFormat, ImportOptions, ImportRun, ImportSource } from '@lesionlab/contracts';
import { LabelsModule } from '@lesionlab/labels';
import { OBJECT_STORAGE, PlatformModule, type ObjectStorage } from '@lesionlab/platform';
import { createTestDatabase, testConfig, uniqueName, type TestDatabase } from '@lesionlab/platform/testing';
import { CatalogModule } from '../src/catalog.module';
import { ImportRunner } from '../src/import/import.runner';
import { ImportsRepository, toImportRun } from '../src/imports.repository';

/** The real data sets beside the project (absent on machines without them: tests skip with a reason). */
export const SHARED_DATA = path.resolve(__dirname, '../../..', '../shared/data');

export async function sharedDataPresent(): Promise<boolean> {
  return fs.access(SHARED_DATA).then(() => true, () => false);
}

export interface CatalogTestContext {
  app: INestApplicationContext;
  dataSource: DataSource;
  storage: ObjectStorage;
  /** A scratch folder inside the allowed import roots. */
  scratch: string;
  /** Records an import and runs it in this process (the job's code path without the queue). */
  runImport(format: ImportFormat, source: ImportSource, options?: Partial<ImportOptions>): Promise<ImportRun>;
  close(): Promise<void>;
}

/**
 * Catalog + labels (the real mask recorder) on a fresh database, fs storage, imports allowed from a
 * scratch folder and ../shared/data; `settings` override the configuration (e.g. the import limits).
 */
export async function createCatalogTestContext(settings: Record<string, string> = {}): Promise<CatalogTestContext> {
  const database: TestDatabase = await createTestDatabase();
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), `${uniqueName('catalog')}-`));
  const config = testConfig({ DATABASE_URL: database.url, IMPORT_ALLOWED_ROOTS: `${scratch},${SHARED_DATA}`, ...settings });
  @Module({ imports: [PlatformModule.forRoot(config), LabelsModule, CatalogModule] })
  class CatalogTestModule {}
  const app = await NestFactory.createApplicationContext(CatalogTestModule, { logger: false });
  const imports = app.get(ImportsRepository);
  const runner = app.get(ImportRunner);
  return {
    app,
    dataSource: app.get(DataSource),
    storage: app.get(OBJECT_STORAGE),
    scratch,
    runImport: async (format, source, options = {}) => {
      const row = await imports.create(format, source.kind === 'path' ? source.path : source.prefix, { source, maskThreshold: 1, ...options });
      await runner.run(row.id).catch(() => undefined);
      return toImportRun((await imports.get(row.id))!);
    },
    close: async () => {
      await app.close();
      await database.drop();
      await fs.rm(scratch, { recursive: true, force: true });
      await fs.rm(config.LESIONLAB_HOME, { recursive: true, force: true });
    },
  };
}
