/**
 * emptyDir `sizeLimit` enforcement for disk-backed volumes (upstream
 * pkg/kubelet/eviction eviction_manager.go emptyDirLimitEviction): the usage of each
 * such volume, measured like du (allocated 512-byte blocks of every file and folder,
 * symlinks not followed, hard links counted once), is compared with its sizeLimit; over
 * it, the pod is evicted with the message
 * `Usage of EmptyDir volume "<name>" exceeds the limit "<sizeLimit>". ` (trailing space as
 * upstream). Memory-backed volumes are bounded by their tmpfs size instead.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '../api/core/v1/pod-types.js';
import { parseQuantity } from '../machinery/quantity.js';

/** Bytes allocated under `path` (du -s semantics); 0 when it does not exist. */
export function dirUsageBytes(path: string, seen = new Set<string>()): number {
  let st;
  try { st = lstatSync(path, { bigint: false }); } catch { return 0; }
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return 0;
  seen.add(key);
  let total = st.blocks * 512;
  if (st.isDirectory()) {
    let names: string[] = [];
    try { names = readdirSync(path); } catch { /* unreadable */ }
    for (const n of names) total += dirUsageBytes(join(path, n), seen);
  }
  return total;
}

/**
 * The eviction message for the first disk emptyDir of `pod` over its sizeLimit, or
 * undefined. `usage(dir)` measures a volume folder (default dirUsageBytes).
 */
export function emptyDirLimitExceeded(pod: Pod, podDir: string, usage: (dir: string) => number = (d) => dirUsageBytes(d)): string | undefined {
  for (const v of pod.spec?.volumes ?? []) {
    const ed = v.emptyDir as { medium?: string; sizeLimit?: string | number } | undefined;
    if (!ed || ed.medium === 'Memory' || ed.sizeLimit === undefined) continue;
    const limit = parseQuantity(ed.sizeLimit);
    if (usage(join(podDir, 'volumes', v.name)) > limit) return `Usage of EmptyDir volume ${JSON.stringify(v.name)} exceeds the limit ${JSON.stringify(String(ed.sizeLimit))}. `;
  }
  return undefined;
}
