/**
 * Atomic updates of a volume's files (upstream pkg/volume/util/atomic_writer.go, the
 * layout configMap, secret, downwardAPI and projected volumes have):
 *
 *   <dir>/..2026_01_02_03_04_05.123456789/   the current payload (a timestamped dir)
 *   <dir>/..data -> ..2026_01_02_03_04_05.123456789
 *   <dir>/<key>  -> ..data/<key>             one symlink per top-level path of the payload
 *
 * A new payload is written to a fresh timestamped dir; `..data` is then switched with one
 * rename(2) of a `..data_tmp` symlink, so a reader inside the container sees either the
 * old or the new set of files, never a mix. Top-level links of paths no longer in the
 * payload and the old timestamped dir are then removed. An unchanged payload (contents
 * and modes) writes nothing.
 *
 * Paths are relative, `/`-separated, without `..` elements nor a leading `..` (Error).
 * Modes are the permission bits of each file (e.g. 0o644); directories are 0o755.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FileProjection { data: Buffer | string; mode: number }
export type Payload = Map<string, FileProjection>;

const DATA = '..data';
const DATA_TMP = '..data_tmp';

function validatePath(p: string): void {
  if (!p) throw new Error('invalid path: must not be empty');
  if (p.startsWith('/')) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.split('/').includes('..')) throw new Error(`invalid path: must not contain '..': ${p}`);
  if (p.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${p}`);
}

/** Files under `dir` (recursively) as path → {data, mode}. */
function readPayload(dir: string, prefix = '', out: Payload = new Map()): Payload {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) readPayload(join(dir, e.name), rel, out);
    else out.set(rel, { data: readFileSync(join(dir, e.name)), mode: statSync(join(dir, e.name)).mode & 0o7777 });
  }
  return out;
}

function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const o = b.get(k);
    if (!o || o.mode !== v.mode || !Buffer.from(o.data).equals(Buffer.from(v.data))) return false;
  }
  return true;
}

/** The timestamped dir `..data` points to, if any. */
function currentDataDir(dir: string): string | undefined {
  try { return readlinkSync(join(dir, DATA)); } catch { return undefined; }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const tsPrefix = (d = new Date()): string =>
  `..${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}.`;

/**
 * Makes `dir` hold exactly `payload`, atomically. Returns true when something was
 * written, false when the payload was already there. Throws on an invalid path or an
 * I/O error (the previous payload stays visible).
 */
export function writeAtomic(dir: string, payload: Payload): boolean {
  for (const p of payload.keys()) validatePath(p);
  mkdirSync(dir, { recursive: true });
  const oldTs = currentDataDir(dir);
  let oldPayload: Payload = new Map();
  if (oldTs && existsSync(join(dir, oldTs))) {
    oldPayload = readPayload(join(dir, oldTs));
    if (samePayload(payload, oldPayload)) {
      // Links may be missing (a crash between the rename and the links): recreate them.
      if ([...topLevel(payload)].every((t) => isLink(join(dir, t)))) return false;
    }
  }
  const ts = mkdtempSync(join(dir, tsPrefix()));
  chmodSync(ts, 0o755);
  for (const [p, f] of payload) {
    const file = join(ts, p);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, f.data);
    chmodSync(file, f.mode);
  }
  rmSync(join(dir, DATA_TMP), { force: true });
  symlinkSync(ts.slice(dir.length + 1), join(dir, DATA_TMP));
  renameSync(join(dir, DATA_TMP), join(dir, DATA));
  const wanted = topLevel(payload);
  for (const t of wanted) {
    const link = join(dir, t);
    if (isLink(link)) continue;
    // A plain file or folder there (written before volumes were atomic) gives way to the link.
    if (existsSync(link) || isLink(link)) rmSync(link, { recursive: true, force: true });
    symlinkSync(join(DATA, t), link);
  }
  for (const t of topLevel(oldPayload)) if (!wanted.has(t)) rmSync(join(dir, t), { recursive: true, force: true });
  if (oldTs && oldTs !== ts.slice(dir.length + 1)) rmSync(join(dir, oldTs), { recursive: true, force: true });
  return true;
}

function topLevel(payload: Payload): Set<string> { return new Set([...payload.keys()].map((p) => p.split('/')[0])); }
function isLink(p: string): boolean { try { return lstatSync(p).isSymbolicLink(); } catch { return false; } }
