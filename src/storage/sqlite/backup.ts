/**
 * A consistent copy of an open SQLite database while it serves (SQLite's online backup
 * API, sqlite.org/backup.html), written to `<file>.part` and renamed, so `file` is never
 * a partial copy. What both `SqliteStorage.snapshot` and `k8ts snapshot save` use.
 */
import { renameSync } from 'node:fs';
import type Database from 'better-sqlite3';

/** Copies `db` to `file`. Throws the database's or the file system's error. */
export async function backupDatabase(db: Database.Database, file: string): Promise<void> {
  await db.backup(`${file}.part`);
  renameSync(`${file}.part`, file);
}
