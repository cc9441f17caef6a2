/**
 * Pod volumes as bind mounts (upstream pkg/volume: emptydir, configmap, secret,
 * hostpath, downwardapi, projected): a folder per volume under
 * `<kubelet dir>/pods/<uid>/volumes/<name>`.
 * - configMap, secret, downwardAPI, projected: the keys / items written with the atomic
 *   writer (atomic-writer.ts: `..data` → timestamped dir, files as links into it), so
 *   calling prepareVolumes again on a running pod propagates ConfigMap/Secret/label
 *   changes atomically (upstream's periodic remount);
 * - emptyDir (mode 0777): on disk; with `medium: Memory` a tmpfs mounted there, of
 *   size min(sizeLimit, the pod's memory limit or else the node's allocatable memory)
 *   (upstream emptydir calculateEmptyDirMemorySize);
 * - hostPath: the host's path (created for DirectoryOrCreate).
 * removePodDir unmounts whatever is mounted under the pod dir before removing it.
 */
import { mkdirSync, chmodSync, rmSync, readFileSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Container, Pod } from '../api/core/v1/pod-types.js';
import type { Mount } from './cri/types.js';
import { ConfigError, fieldValue, type SourceCache } from './env.js';
import { writeAtomic, type Payload } from './atomic-writer.js';
import { resourceFieldValue, type Allocatable } from './resource-field.js';
import { ETC_HOSTS_PATH } from './etc-hosts.js';
import { parseQuantity } from '../machinery/quantity.js';
import type { TokenSpec } from './token-manager.js';

/** Mounts a tmpfs of `sizeBytes` at `dir` (tests replace it). */
export type TmpfsMounter = (dir: string, sizeBytes: number) => void;

export interface VolumeOptions {
  /** The node's allocatable (resourceFieldRef defaults, Memory emptyDir size). */
  allocatable?: Allocatable;
  mountTmpfs?: TmpfsMounter;
  /** Whether `dir` is a mount point (default: listed in /proc/self/mountinfo). */
  isMounted?: (dir: string) => boolean;
  /** A bound token of the pod's ServiceAccount for a projected `serviceAccountToken` source (token-manager.ts); absent: such sources fail. */
  serviceAccountToken?: (spec: TokenSpec) => Promise<string>;
}

/** Mount points listed in /proc/self/mountinfo (octal escapes decoded). */
export function mountPoints(): string[] {
  let text = '';
  try { text = readFileSync('/proc/self/mountinfo', 'utf8'); } catch { return []; }
  return text.split('\n').map((l) => l.split(' ')[4]).filter(Boolean).map((m) => m.replace(/\\([0-7]{3})/g, (_x, o) => String.fromCharCode(parseInt(o, 8))));
}

const defaultMountTmpfs: TmpfsMounter = (dir, size) => { execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' }); };

/** Size of a `medium: Memory` emptyDir in bytes (upstream calculateEmptyDirMemorySize). */
export function memoryEmptyDirSize(pod: Pod, sizeLimit: string | number | undefined, allocatable: Allocatable): number {
  const lim = (c: Container): number => (c.resources?.limits?.memory !== undefined ? parseQuantity(c.resources.limits.memory) : 0);
  const app = (pod.spec?.containers ?? []).reduce((a, c) => a + lim(c), 0);
  const podLimit = Math.max(app, ...(pod.spec?.initContainers ?? []).map(lim));
  let size = podLimit > 0 ? podLimit : allocatable.memory !== undefined ? parseQuantity(allocatable.memory) : 0;
  if (sizeLimit !== undefined && (size === 0 || parseQuantity(sizeLimit) < size)) size = parseQuantity(sizeLimit);
  return Math.ceil(size);
}

/** Prepares (or refreshes) every volume of `pod`; returns name → host path. */
export async function prepareVolumes(pod: Pod, podDir: string, sources: SourceCache, opts: VolumeOptions = {}): Promise<Map<string, string>> {
  let current = '';
  try {
    return await prepareEachVolume(pod, podDir, sources, opts, (name) => { current = name; });
  } catch (err) {
    if (err instanceof ConfigError && !(err instanceof MountError)) throw new MountError(current, err.message);
    throw err;
  }
}

/**
 * A volume that cannot be set up (its ConfigMap or Secret missing, a key missing, a
 * write failing): the pod stays ContainerCreating with `FailedMount` events, as upstream's
 * volume manager reports `MountVolume.SetUp failed for volume "<name>" : <message>`.
 */
export class MountError extends ConfigError {
  constructor(readonly volume: string, message: string) { super(message); }
}

async function prepareEachVolume(pod: Pod, podDir: string, sources: SourceCache, opts: VolumeOptions, setting: (name: string) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const allocatable = opts.allocatable ?? {};
  for (const v of pod.spec?.volumes ?? []) {
    setting(v.name);
    if (v.hostPath?.path) {
      if (v.hostPath.type === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true });
      out.set(v.name, v.hostPath.path);
      continue;
    }
    const dir = join(podDir, 'volumes', v.name);
    mkdirSync(dir, { recursive: true });
    if (v.emptyDir || !(v.configMap || v.secret || v.downwardAPI || v.projected)) {
      const ed = (v.emptyDir ?? {}) as { medium?: string; sizeLimit?: string | number };
      if (ed.medium === 'Memory' && !(opts.isMounted ?? ((d: string) => mountPoints().includes(realpathSync(d))))(dir)) {
        (opts.mountTmpfs ?? defaultMountTmpfs)(dir, memoryEmptyDirSize(pod, ed.sizeLimit, allocatable));
      }
      chmodSync(dir, 0o777);
      out.set(v.name, dir);
      continue;
    }
    const payload: Payload = new Map();
    /**
     * Keys (or `items`) of a ConfigMap / Secret into the payload (upstream configmap.go /
     * secret.go MakePayload): values are Buffers; an item naming a missing key is an error
     * unless the source is optional.
     */
    const writeItems = (data: Record<string, Buffer>, items: Array<{ key?: string; path?: string; mode?: number }> | undefined, mode: number, kind: 'configmap' | 'secret', optional: boolean | undefined) => {
      if (!items?.length) { for (const [k, val] of Object.entries(data)) payload.set(k, { data: val, mode }); return; }
      for (const i of items) {
        const val = data[i.key ?? ''];
        if (val === undefined) {
          if (optional) continue;
          throw new ConfigError(kind === 'configmap' ? `configmap references non-existent config key: ${i.key}` : `references non-existent secret key: ${i.key}`);
        }
        payload.set(i.path ?? i.key ?? '', { data: val, mode: i.mode ?? mode });
      }
    };
    const writeDownwardApi = (items: DownwardApiItem[] | undefined, mode: number) => {
      for (const item of items ?? []) payload.set(item.path, { data: downwardApiItem(pod, item, allocatable), mode: item.mode ?? mode });
    };
    if (v.configMap) {
      const cm = await sources.configMap(v.configMap.name ?? '');
      if (!cm && !v.configMap.optional) throw new ConfigError(`configmap "${v.configMap.name}" not found`);
      writeItems(configMapData(cm), v.configMap.items as never, v.configMap.defaultMode ?? 0o644, 'configmap', v.configMap.optional);
    } else if (v.secret) {
      const s = await sources.secret(v.secret.secretName ?? '');
      if (!s && !v.secret.optional) throw new ConfigError(`secret "${v.secret.secretName}" not found`);
      writeItems(secretData(s), v.secret.items as never, v.secret.defaultMode ?? 0o644, 'secret', v.secret.optional);
    } else if (v.downwardAPI) {
      const d = v.downwardAPI as { items?: DownwardApiItem[]; defaultMode?: number };
      writeDownwardApi(d.items, d.defaultMode ?? 0o644);
    } else if (v.projected) {
      // One folder from several sources (upstream pkg/volume/projected).
      const p = v.projected as { sources?: ProjectedSource[]; defaultMode?: number };
      const mode = p.defaultMode ?? 0o644;
      for (const src of p.sources ?? []) {
        if (src.configMap) {
          const cm = await sources.configMap(src.configMap.name ?? '');
          if (!cm && !src.configMap.optional) throw new ConfigError(`configmap "${src.configMap.name}" not found`);
          writeItems(configMapData(cm), src.configMap.items, mode, 'configmap', src.configMap.optional);
        } else if (src.secret) {
          const sec = await sources.secret(src.secret.name ?? '');
          if (!sec && !src.secret.optional) throw new ConfigError(`secret "${src.secret.name}" not found`);
          writeItems(secretData(sec), src.secret.items, mode, 'secret', src.secret.optional);
        } else if (src.downwardAPI) {
          writeDownwardApi(src.downwardAPI.items, mode);
        } else if (src.serviceAccountToken && opts.serviceAccountToken) {
          // upstream projected.go: the token file, with the source's audience and lifetime.
          const t = src.serviceAccountToken;
          let token: string;
          try { token = await opts.serviceAccountToken({ audience: t.audience, expirationSeconds: t.expirationSeconds }); } catch (err) {
            throw new ConfigError(`failed to fetch token: ${(err as Error).message}`);
          }
          payload.set(t.path ?? 'token', { data: Buffer.from(token), mode });
        } else {
          // clusterTrustBundle needs its kind: refused, never an empty file.
          throw new ConfigError(`projected volume ${v.name}: source ${Object.keys(src).join(',')} is not supported yet`);
        }
      }
    }
    try { writeAtomic(dir, payload); } catch (err) { throw new ConfigError(`volume ${v.name}: ${(err as Error).message}`); }
    out.set(v.name, dir);
  }
  return out;
}

/** A ConfigMap's `data` (UTF-8) and `binaryData` (base64) keys as bytes. */
function configMapData(cm: { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(cm?.data ?? {})) out[k] = Buffer.from(v, 'utf8');
  for (const [k, v] of Object.entries(cm?.binaryData ?? {})) out[k] = Buffer.from(v, 'base64');
  return out;
}

/** A Secret's `data` keys (base64 in the API) as bytes. */
function secretData(s: { data?: Record<string, string> } | undefined): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(s?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

interface DownwardApiItem { path: string; mode?: number; fieldRef?: { fieldPath?: string }; resourceFieldRef?: { containerName?: string; resource?: string; divisor?: string } }
type KeyItems = Array<{ key?: string; path?: string; mode?: number }>;
interface ProjectedSource {
  configMap?: { name?: string; items?: KeyItems; optional?: boolean };
  secret?: { name?: string; items?: KeyItems; optional?: boolean };
  downwardAPI?: { items?: DownwardApiItem[] };
  serviceAccountToken?: { audience?: string; expirationSeconds?: number; path?: string };
  [other: string]: unknown;
}

/** The content of one downward-API volume item (fieldRef or resourceFieldRef, which names its container). */
function downwardApiItem(pod: Pod, item: DownwardApiItem, allocatable: Allocatable): string {
  if (item.resourceFieldRef) return resourceFieldValue(pod, undefined, item.resourceFieldRef, allocatable);
  return downwardApiFile(pod, item.fieldRef?.fieldPath ?? '');
}

/**
 * The content of one downward-API file (upstream pkg/volume/downwardapi and
 * fieldpath.FormatMap): `metadata.labels` / `metadata.annotations` as `key="value"` lines
 * sorted by key (Go %q quoting, no trailing newline); any other path as its value.
 */
export function downwardApiFile(pod: Pod, fieldPath: string): string {
  if (fieldPath === 'metadata.labels' || fieldPath === 'metadata.annotations') {
    const m = (fieldPath === 'metadata.labels' ? pod.metadata.labels : pod.metadata.annotations) ?? {};
    return Object.keys(m).sort().map((k) => `${k}=${JSON.stringify(m[k])}`).join('\n');
  }
  return fieldValue(pod, fieldPath, '', '');
}

/**
 * CRI mounts of a container; with `hostsFile` (etc-hosts.ts) also that file at /etc/hosts
 * unless the container mounts something there itself (upstream makeMounts).
 */
export function containerMounts(c: Container, volumes: Map<string, string>, hostsFile?: string): Mount[] {
  const mounts: Mount[] = (c.volumeMounts ?? []).filter((m) => volumes.has(m.name)).map((m) => ({
    containerPath: m.mountPath, hostPath: m.subPath ? join(volumes.get(m.name)!, m.subPath) : volumes.get(m.name)!, readonly: !!m.readOnly,
  }));
  if (hostsFile && !(c.volumeMounts ?? []).some((m) => m.mountPath === ETC_HOSTS_PATH)) mounts.push({ containerPath: ETC_HOSTS_PATH, hostPath: hostsFile, readonly: false });
  return mounts;
}

/**
 * Removes a pod's dir, first unmounting (lazily, deepest first) whatever is mounted under
 * it (or under its real path) — Memory emptyDirs — so no tmpfs outlives its pod and rm
 * never crosses a mount. `unmount` and `mounted` are replaceable for tests.
 */
export function removePodDir(podDir: string, unmount: (dir: string) => void = (d) => { try { execFileSync('umount', ['-l', d], { stdio: 'pipe' }); } catch { /* gone */ } }, mounted: () => string[] = mountPoints): void {
  let real = podDir;
  try { real = realpathSync(podDir); } catch { /* gone */ }
  for (const m of mounted().filter((x) => x.startsWith(podDir + '/') || x.startsWith(real + '/')).sort((a, b) => b.length - a.length)) unmount(m);
  rmSync(podDir, { recursive: true, force: true });
}
