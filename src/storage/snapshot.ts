/**
 * Backup and restore of the datastore (`k8ts snapshot save|restore`, and the scheduled
 * snapshots of `--snapshot-interval`), in each backend's own format:
 * - SQLite: a consistent copy of the database taken while the server runs (SQLite's
 *   online backup API); restore checks the copy, then puts it in place of the database
 *   file of a stopped server (its WAL and shared-memory files removed).
 * - etcd: etcd's Maintenance Snapshot (`etcdctl snapshot save`); restore makes a new
 *   member data directory from it with Debian's `etcdctl snapshot restore`, which etcd
 *   is then started on — upstream's procedure (kubernetes.io "Operating etcd clusters",
 *   Restoring an etcd cluster).
 * Either way every object comes back with its resourceVersion.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { backupDatabase } from './sqlite/backup.js';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { parseDatastoreEndpoint } from './datastore-endpoint.js';
import { openEtcd3Storage } from './etcd3/etcd3-storage.js';

/** A backend that can write a snapshot of itself to a file (both SqliteStorage and Etcd3Storage). */
export interface Snapshotter { snapshot(path: string): Promise<void> }

/**
 * Saves a snapshot of the datastore named by `endpoint` (default: the SQLite file
 * `sqlitePath`) to `file`, while its server runs. Throws Error when the datastore cannot
 * be read.
 */
export async function saveSnapshot(endpoint: string | undefined, sqlitePath: string, file: string): Promise<void> {
  const target = parseDatastoreEndpoint(endpoint, sqlitePath);
  mkdirSync(dirname(file), { recursive: true });
  if (target.kind === 'etcd') {
    const etcd = await openEtcd3Storage({ endpoints: target.endpoints, compactIntervalMs: 0 });
    try { await etcd.snapshot(file); } finally { await etcd.close(); }
    return;
  }
  const db = new Database(target.path, { readonly: true, fileMustExist: true });
  try { await backupDatabase(db, file); } finally { db.close(); }
}

/** Where an etcd snapshot is restored to: a new member data directory and the member's cluster flags (etcdctl snapshot restore). */
export interface EtcdRestoreTarget { dataDir: string; name?: string; initialCluster?: string; initialAdvertisePeerUrls?: string; initialClusterToken?: string }

/**
 * Restores `file` into the datastore. SQLite (`endpoint` empty or sqlite://): the
 * server must be stopped; the file is checked (integrity, k8ts's tables) and copied over
 * `sqlitePath`. etcd: writes a new member data directory (`etcd.dataDir`, which must not
 * exist) for etcd to be started on. Throws Error naming what is wrong.
 */
export async function restoreSnapshot(endpoint: string | undefined, sqlitePath: string, file: string, etcd?: EtcdRestoreTarget): Promise<void> {
  const target = parseDatastoreEndpoint(endpoint, sqlitePath);
  if (target.kind === 'etcd') {
    if (!etcd?.dataDir) throw new Error('restoring an etcd snapshot needs --etcd-data-dir (a new member data directory)');
    const args = ['snapshot', 'restore', file, '--data-dir', etcd.dataDir];
    if (etcd.name) args.push('--name', etcd.name);
    if (etcd.initialCluster) args.push('--initial-cluster', etcd.initialCluster);
    if (etcd.initialAdvertisePeerUrls) args.push('--initial-advertise-peer-urls', etcd.initialAdvertisePeerUrls);
    if (etcd.initialClusterToken) args.push('--initial-cluster-token', etcd.initialClusterToken);
    try {
      await promisify(execFile)('etcdctl', args, { env: { ...process.env, ETCDCTL_API: '3' } });
    } catch (err) {
      throw new Error(`etcdctl snapshot restore failed: ${((err as { stderr?: string }).stderr || (err as Error).message).trim()}`);
    }
    return;
  }
  const check = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = check.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    if (!check.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'kine'").get()) throw new Error(`${file} is not a k8ts SQLite snapshot`);
  } finally { check.close(); }
  mkdirSync(dirname(target.path), { recursive: true });
  copyFileSync(file, `${target.path}.restore`);
  for (const suffix of ['-wal', '-shm']) rmSync(target.path + suffix, { force: true });
  renameSync(`${target.path}.restore`, target.path);
}

/** Scheduled snapshots (k3s's --etcd-snapshot-schedule-cron/-retention/-dir, as an interval). */
export interface SnapshotSchedule { dir: string; intervalMs: number; retention: number }

/**
 * Every `intervalMs` writes `<dir>/k8ts-snapshot-<UTC time>.db` from `backend`, then keeps
 * only the newest `retention` such files. Returns a stop function. Failures are logged;
 * the timer does not keep the process alive.
 */
export function startSnapshotSchedule(backend: Snapshotter, schedule: SnapshotSchedule, log: (m: string) => void = console.error): () => void {
  if (schedule.intervalMs <= 0) return () => undefined;
  mkdirSync(schedule.dir, { recursive: true });
  let running = false;
  const take = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const file = join(schedule.dir, `k8ts-snapshot-${new Date().toISOString().replace(/[:.]/g, '-')}.db`);
      await backend.snapshot(file);
      log(`snapshot saved to ${file}`);
      pruneSnapshots(schedule.dir, schedule.retention);
    } catch (err) {
      log(`scheduled snapshot failed: ${(err as Error).message}`);
    } finally { running = false; }
  };
  const timer = setInterval(() => void take(), schedule.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Removes all but the newest `retention` `k8ts-snapshot-*.db` files of `dir` (0: keep all). */
export function pruneSnapshots(dir: string, retention: number): void {
  if (retention <= 0) return;
  const files = readdirSync(dir).filter((f) => /^k8ts-snapshot-.*\.db$/.test(f))
    .map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t || b.f.localeCompare(a.f));
  for (const { f } of files.slice(retention)) rmSync(join(dir, f), { force: true });
}
