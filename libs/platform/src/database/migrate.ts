/** Runs the TypeORM migrations; two processes starting at once take turns on an advisory lock. */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { Queryable } from './database';
import { MIGRATIONS } from './migrations';

const MIGRATION_LOCK = 7_270_001;

export async function runMigrations(url: string): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      migrations: MIGRATIONS,
      migrationsTableName: 'schema_migrations',
      migrationsTransactionMode: 'each',
      logging: false,
    });
    await dataSource.initialize();
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/** The migrations of this build not applied to the database yet (all of them before the first run). */
export async function pendingMigrations(db: Queryable): Promise<string[]> {
  const applied = await db
    .query<{ name: string }>('SELECT name FROM schema_migrations')
    .then(({ rows }) => new Set(rows.map((row) => row.name)))
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === '42P01') return new Set<string>(); // no table yet
      throw error;
    });
  return MIGRATIONS.map((migration) => new migration().name).filter((name) => !applied.has(name));
}
