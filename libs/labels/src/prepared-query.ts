import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs `text` as a named, server-side prepared statement on the pool behind the DataSource. Each
 * pooled connection parses and analyses it once; after a few executions PostgreSQL keeps a generic
 * plan, so a hot statement is no longer planned on every call (`dataSource.query` sends an unnamed
 * statement, which is parsed, analysed and planned anew each time: for the mask save's slice context
 * that planning cost ten times the execution). Autocommit, like `dataSource.query`; not for use
 * inside a TypeORM transaction (it takes its own connection). `name` must be unique to `text`.
 */
export async function preparedQuery<R extends QueryResultRow>(dataSource: DataSource, name: string, text: string, values: unknown[]): Promise<R[]> {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) throw new Error('the DataSource is not connected');
  return (await pool.query<R>({ name, text, values })).rows;
}
