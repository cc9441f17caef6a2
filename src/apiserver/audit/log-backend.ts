/**
 * The audit log backend (upstream `--audit-log-path`, `--audit-log-maxage`,
 * `--audit-log-maxbackup`, `--audit-log-maxsize`; k8s.io/apiserver/plugin/pkg/audit/log):
 * one audit.k8s.io/v1 Event per line, JSON. `-` writes to standard output. The file is
 * rotated when it reaches `maxSizeMB` megabytes (rotating-file-stream); a rotated file is
 * named `<base>-<UTC time as 2006-01-02T15-04-05.000><ext>` as upstream's lumberjack names
 * its backups; at most `maxBackups` are kept (0: all) and those older than `maxAgeDays`
 * days are removed (0: kept regardless of age).
 */
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { AuditEvent } from './event.js';

/** Where events go. */
export interface AuditSink {
  write(event: AuditEvent): void;
  close(): Promise<void>;
}

export interface AuditLogOptions {
  /** File path, or `-` for standard output. */
  path: string;
  /** Days a rotated file is kept (0: no limit). */
  maxAgeDays?: number;
  /** Rotated files kept (0: no limit). */
  maxBackups?: number;
  /** Size in megabytes at which the file is rotated (0: never; upstream's default is 100). */
  maxSizeMB?: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** lumberjack's backup time format, UTC: 2006-01-02T15-04-05.000. */
const backupTime = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;

/** Opens the log (creating its directory). Throws the file system's error when it cannot be created. */
export function createAuditLogBackend(o: AuditLogOptions): AuditSink {
  if (o.path === '-') {
    return { write: (e) => { process.stdout.write(`${JSON.stringify(e)}\n`); }, close: async () => {} };
  }
  const dir = dirname(o.path);
  const file = basename(o.path);
  const ext = extname(file);
  const base = file.slice(0, file.length - ext.length);
  mkdirSync(dir, { recursive: true });
  const backups = (): string[] => readdirSync(dir).filter((f) => f.startsWith(`${base}-`) && f.endsWith(ext) && /\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}/.test(f)).sort();
  const prune = (): void => {
    const now = Date.now();
    let kept = backups();
    if (o.maxAgeDays) {
      for (const f of kept) if (now - statSync(join(dir, f)).mtimeMs > o.maxAgeDays * 86_400_000) unlinkSync(join(dir, f));
      kept = backups();
    }
    if (o.maxBackups) for (const f of kept.slice(0, Math.max(0, kept.length - o.maxBackups))) unlinkSync(join(dir, f));
  };
  let stream: RotatingFileStream;
  try {
    stream = createStream((time: number | Date | null) => (time ? `${base}-${backupTime(time instanceof Date ? time : new Date(time))}${ext}` : file), {
      path: dir, ...(o.maxSizeMB ? { size: `${o.maxSizeMB}M` as const } : {}),
    });
  } catch (err) { throw new Error(`audit log ${o.path}: ${(err as Error).message}`); }
  stream.on('rotated', () => { try { prune(); } catch { /* a backup removed meanwhile */ } });
  stream.on('error', (err) => console.error(`audit log ${o.path}: ${err.message}`));
  return {
    write: (e) => { stream.write(`${JSON.stringify(e)}\n`); },
    close: () => new Promise<void>((resolve) => { stream.end(() => resolve()); }),
  };
}
