import { DataSource, type DataSourceOptions } from 'typeorm';
import { maskCredentials } from '../config/load-settings';

export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    migrations: [],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize,
    applicationName: 'lesionlab',
    extra: { connectionTimeoutMillis: 5000 },
  };
}

export class DatabaseUnavailableError extends Error {
  constructor(databaseUrl: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(`Cannot connect to the database at DATABASE_URL=${maskCredentials(databaseUrl)}: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Opens a DataSource, turning a connection failure into an error that names DATABASE_URL. */
export async function openDataSource(options: DataSourceOptions & { url: string }): Promise<DataSource> {
  const dataSource = new DataSource(options);
  try {
    return await dataSource.initialize();
  } catch (error) {
    throw new DatabaseUnavailableError(options.url, error);
  }
}
