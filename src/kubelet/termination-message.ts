/**
 * Container termination messages (upstream kuberuntime_container.go: the kubelet mounts
 * a host file at `terminationMessagePath`, default `/dev/termination-log`, and reads it
 * when the container ends; API reference Container.terminationMessagePolicy):
 * - the file's first 4096 bytes become `state.terminated.message`;
 * - with `FallbackToLogsOnError`, an empty file and a non-zero exit give the last 80
 *   lines of the container's log, at most 2048 bytes.
 * The path and the policy travel as container annotations, as upstream's do, so the
 * status needs nothing but the CRI record.
 */
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCriLog } from './cri-log.js';
import type { ContainerStatus as CriContainerStatus } from './cri/types.js';

export const TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
const MAX_MESSAGE = 4096;
const FALLBACK_LINES = 80;
const FALLBACK_BYTES = 2048;

/** The host file backing one container attempt's termination message (created empty, writable by any user). */
export function terminationLogFile(podDir: string, container: string, attempt: number): string {
  const file = join(podDir, 'containers', container, `${attempt}.termination-log`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  chmodSync(file, 0o666);
  return file;
}

/** First `max` bytes of `path`, '' when missing. */
function head(path: string, max: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch { return ''; } finally { if (fd !== undefined) closeSync(fd); }
}

/** The message of an exited container: its termination file, or the log tail per policy. */
export function terminationMessage(podDir: string, s: CriContainerStatus): string {
  const fromFile = head(join(podDir, 'containers', s.metadata.name, `${s.metadata.attempt}.termination-log`), MAX_MESSAGE);
  if (fromFile || s.annotations?.[TERMINATION_MESSAGE_POLICY] !== 'FallbackToLogsOnError' || s.exitCode === 0 || !s.logPath) return fromFile;
  let log = '';
  try { log = parseCriLog(readFileSync(s.logPath, 'utf8'), { tailLines: FALLBACK_LINES }); } catch { return ''; }
  const bytes = Buffer.from(log);
  return bytes.length > FALLBACK_BYTES ? bytes.subarray(bytes.length - FALLBACK_BYTES).toString('utf8') : log;
}
