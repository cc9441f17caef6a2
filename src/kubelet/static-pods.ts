/**
 * Static pods from a manifest folder (upstream pkg/kubelet/config/file.go and common.go):
 * every non-hidden regular file in the folder holds one Pod (YAML or JSON). The kubelet
 * runs it as `<name>-<nodeName>` in its namespace (default `default`) with
 * `spec.nodeName` set, a NoExecute toleration for every taint, and the annotations
 * `kubernetes.io/config.source: file`, `kubernetes.io/config.hash` (= its uid) and
 * `kubernetes.io/config.seen` (RFC 3339 with ns, when this version was first read).
 * The uid is the md5 of the manifest's content, the node's name and the file's path, so
 * an edited file is a new pod (the old one is stopped, the new one started).
 * The folder is rescanned every `pollMs` (upstream: every 20 s plus inotify; k8ts polls
 * only); a bad file is logged once per content and skipped; two files naming the same
 * pod: the first in file-name order wins.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Pod } from '../api/core/v1/pod-types.js';
import { defaultPodSpec, validatePodSpec } from '../api/core/v1/pod.js';
import { formatFieldErrors } from '../machinery/field-errors.js';
import { onAbort } from '../machinery/time.js';

export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';

/** An RFC 3339 time with nanoseconds, as Go's RFC3339Nano prints it (trailing zeros dropped). */
const rfc3339Nano = (ms: number): string => new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');

/** A static pod (from a file). */
export const isStaticPod = (pod: Pod): boolean => pod.metadata.annotations?.[CONFIG_SOURCE] === 'file';
/** A mirror pod (the API's copy of a static pod). */
export const isMirrorPod = (pod: Pod | undefined): boolean => pod?.metadata.annotations?.[CONFIG_MIRROR] !== undefined;

/**
 * The static pod described by manifest `text` read from `file` on node `nodeName`.
 * Throws on a manifest that is not one valid v1 Pod.
 */
export function staticPodFromManifest(text: string, file: string, nodeName: string, seenMs = Date.now()): Pod {
  const raw = parse(text) as Pod | null;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a Pod manifest');
  if ((raw.kind && raw.kind !== 'Pod') || (raw.apiVersion && raw.apiVersion !== 'v1')) throw new Error(`want a v1 Pod, got ${raw.apiVersion ?? ''}/${raw.kind ?? ''}`);
  if (!raw.metadata?.name) throw new Error('metadata.name: Required value');
  const pod = structuredClone(raw) as Pod;
  pod.apiVersion = 'v1'; pod.kind = 'Pod';
  pod.spec ??= { containers: [] };
  const errs = validatePodSpec(pod.spec, 'spec');
  if (errs.length) throw new Error(formatFieldErrors(errs));
  const uid = pod.metadata.uid || createHash('md5').update(JSON.stringify(raw)).update(`host:${nodeName}`).update(`file:${file}`).digest('hex');
  defaultPodSpec(pod.spec);
  pod.spec.nodeName = nodeName;
  pod.spec.tolerations = [...(pod.spec.tolerations ?? []), { operator: 'Exists', effect: 'NoExecute' }];
  pod.metadata = {
    ...pod.metadata, name: `${pod.metadata.name}-${nodeName.toLowerCase()}`, namespace: pod.metadata.namespace || 'default', uid,
    annotations: { ...(pod.metadata.annotations ?? {}), [CONFIG_HASH]: uid, [CONFIG_SEEN]: rfc3339Nano(seenMs), [CONFIG_SOURCE]: 'file' },
  };
  delete pod.metadata.resourceVersion;
  pod.status = { phase: 'Pending' };
  return pod;
}

export interface StaticPodSourceOptions {
  dir: string;
  nodeName: string;
  /** Called with the `namespace/name` key of each static pod added, changed or removed. */
  onChange(key: string): void;
  log?(msg: string): void;
  /** Rescan period (default 2000 ms). */
  pollMs?: number;
}

/** The static pods of one folder, by `namespace/name`. */
export class StaticPodSource {
  private pods = new Map<string, { pod: Pod; file: string }>();
  /** Per file: the content hash of the last bad version logged. */
  private bad = new Map<string, string>();
  constructor(private readonly opts: StaticPodSourceOptions) {}

  get(key: string): Pod | undefined { return this.pods.get(key)?.pod; }
  list(): Pod[] { return [...this.pods.values()].map((e) => e.pod); }
  keys(): string[] { return [...this.pods.keys()]; }

  /** Reads the folder now; notifies the keys that changed. A missing folder is an empty one. */
  scan(now = Date.now()): void {
    const next = new Map<string, { pod: Pod; file: string }>();
    let names: string[] = [];
    try { names = readdirSync(this.opts.dir).filter((n) => !n.startsWith('.')).sort(); } catch { /* no folder: no static pods */ }
    for (const name of names) {
      const file = join(this.opts.dir, name);
      let text: string;
      try { if (!statSync(file).isFile()) continue; text = readFileSync(file, 'utf8'); } catch { continue; }
      try {
        const prev = [...this.pods.values()].find((e) => e.file === file);
        let pod = staticPodFromManifest(text, file, this.opts.nodeName, now);
        // Same content as before: keep the pod (and its config.seen).
        if (prev && prev.pod.metadata.uid === pod.metadata.uid) pod = prev.pod;
        const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
        if (next.has(key)) { this.logBad(file, text, `pod ${key} is already defined by ${next.get(key)!.file}; ignored`); continue; }
        next.set(key, { pod, file });
        this.bad.delete(file);
      } catch (err) { this.logBad(file, text, (err as Error).message); }
    }
    const changed = new Set<string>();
    for (const [k, e] of next) if (this.pods.get(k)?.pod.metadata.uid !== e.pod.metadata.uid) changed.add(k);
    for (const k of this.pods.keys()) if (!next.has(k)) changed.add(k);
    this.pods = next;
    for (const k of changed) this.opts.onChange(k);
  }

  private logBad(file: string, text: string, msg: string): void {
    const h = createHash('md5').update(text).digest('hex');
    if (this.bad.get(file) === h) return;
    this.bad.set(file, h);
    this.opts.log?.(`static pod manifest ${file}: ${msg}`);
  }

  /** Scans now and every `pollMs` until the signal aborts. */
  start(signal: AbortSignal): void {
    this.scan();
    const t = setInterval(() => this.scan(), this.opts.pollMs ?? 2000);
    onAbort(signal, () => clearInterval(t));
  }
}
