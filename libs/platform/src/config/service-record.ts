/**
 * Where a running service says what it uses (.data/service.json, next to the embedded database's
 * default directory): the CLI reads it to find the embedded PostgreSQL of `npm start` without being
 * given EMBEDDED_PG_DIR and EMBEDDED_PG_PORT again. Holds no secret; removed when the service stops.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const SERVICE_RECORD_PATH = '.data/service.json';

export interface ServiceRecord {
  readonly pid: number;
  readonly url: string;
  /** Absolute data directory and port of the embedded PostgreSQL; null with DATABASE_URL. */
  readonly embeddedDatabaseDir: string | null;
  readonly embeddedDatabasePort: number | null;
  readonly startedAt: string;
}

export function writeServiceRecord(record: ServiceRecord, path = SERVICE_RECORD_PATH): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record if it is this process's. */
export function removeServiceRecord(pid: number, path = SERVICE_RECORD_PATH): void {
  if (readServiceRecord(path)?.pid === pid) rmSync(path, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readServiceRecord(path: string): ServiceRecord | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ServiceRecord;
  } catch {
    return null;
  }
}

/** The record of a service that is still running (a killed service leaves a stale one behind). */
export function runningService(path = SERVICE_RECORD_PATH): ServiceRecord | null {
  const record = readServiceRecord(path);
  return record && Number.isInteger(record.pid) && alive(record.pid) ? record : null;
}
