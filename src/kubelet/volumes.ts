/**
 * Pod volumes as bind mounts (upstream pkg/volume: emptydir, configmap, secret,
 * hostpath, downwardapi): a folder per volume under `<kubelet dir>/pods/<uid>/volumes/<name>`,
 * filled with the ConfigMap/Secret keys or the downward-API items for those kinds.
 */
import { mkdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Container, Pod } from '../api/core/v1/pod-types.js';
import type { Mount } from './cri/types.js';
import { ConfigError, fieldValue, type SourceCache } from './env.js';

/** Prepares every volume of `pod`; returns name → host path. */
export async function prepareVolumes(pod: Pod, podDir: string, sources: SourceCache): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const v of pod.spec?.volumes ?? []) {
    if (v.hostPath?.path) {
      if (v.hostPath.type === 'DirectoryOrCreate') mkdirSync(v.hostPath.path, { recursive: true });
      out.set(v.name, v.hostPath.path);
      continue;
    }
    const dir = join(podDir, 'volumes', v.name);
    mkdirSync(dir, { recursive: true });
    const writeItems = (data: Record<string, string>, items: Array<{ key?: string; path?: string; mode?: number }> | undefined, mode: number, decode: boolean) => {
      const entries = items?.length ? items.map((i) => [i.path ?? i.key ?? '', data[i.key ?? ''] ?? '', i.mode ?? mode] as const) : Object.entries(data).map(([k, val]) => [k, val, mode] as const);
      for (const [path, value, m] of entries) {
        const f = join(dir, path);
        mkdirSync(dirname(f), { recursive: true });
        writeFileSync(f, decode ? Buffer.from(value, 'base64') : value);
        chmodSync(f, m);
      }
    };
    if (v.configMap) {
      const cm = await sources.configMap(v.configMap.name ?? '');
      if (!cm && !v.configMap.optional) throw new ConfigError(`configmap "${v.configMap.name}" not found`);
      writeItems(cm?.data ?? {}, v.configMap.items as never, v.configMap.defaultMode ?? 0o644, false);
    } else if (v.secret) {
      const s = await sources.secret(v.secret.secretName ?? '');
      if (!s && !v.secret.optional) throw new ConfigError(`secret "${v.secret.secretName}" not found`);
      writeItems(s?.data ?? {}, v.secret.items as never, v.secret.defaultMode ?? 0o644, true);
    } else if (v.downwardAPI) {
      const d = v.downwardAPI as { items?: DownwardApiItem[]; defaultMode?: number };
      writeDownwardApi(pod, v.name, dir, d.items, d.defaultMode ?? 0o644);
    } else if (v.projected) {
      // One folder from several sources (upstream pkg/volume/projected).
      const p = v.projected as { sources?: ProjectedSource[]; defaultMode?: number };
      const mode = p.defaultMode ?? 0o644;
      for (const src of p.sources ?? []) {
        if (src.configMap) {
          const cm = await sources.configMap(src.configMap.name ?? '');
          if (!cm && !src.configMap.optional) throw new ConfigError(`configmap "${src.configMap.name}" not found`);
          writeItems(cm?.data ?? {}, src.configMap.items, mode, false);
        } else if (src.secret) {
          const sec = await sources.secret(src.secret.name ?? '');
          if (!sec && !src.secret.optional) throw new ConfigError(`secret "${src.secret.name}" not found`);
          writeItems(sec?.data ?? {}, src.secret.items, mode, true);
        } else if (src.downwardAPI) {
          writeDownwardApi(pod, v.name, dir, src.downwardAPI.items, mode);
        } else {
          // serviceAccountToken needs the TokenRequest API, clusterTrustBundle its kind: refused, never an empty file.
          throw new ConfigError(`projected volume ${v.name}: source ${Object.keys(src).join(',')} is not supported yet`);
        }
      }
    }
    out.set(v.name, dir);
  }
  return out;
}

interface DownwardApiItem { path: string; mode?: number; fieldRef?: { fieldPath?: string }; resourceFieldRef?: unknown }
type KeyItems = Array<{ key?: string; path?: string; mode?: number }>;
interface ProjectedSource {
  configMap?: { name?: string; items?: KeyItems; optional?: boolean };
  secret?: { name?: string; items?: KeyItems; optional?: boolean };
  downwardAPI?: { items?: DownwardApiItem[] };
  [other: string]: unknown;
}

/** Writes downward-API items under `dir`; resourceFieldRef items are refused (not served yet). */
function writeDownwardApi(pod: Pod, volume: string, dir: string, items: DownwardApiItem[] | undefined, mode: number): void {
  for (const item of items ?? []) {
    if (item.resourceFieldRef) throw new ConfigError(`downwardAPI volume ${volume}: resourceFieldRef items are not supported yet`);
    const f = join(dir, item.path);
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, downwardApiFile(pod, item.fieldRef?.fieldPath ?? ''));
    chmodSync(f, item.mode ?? mode);
  }
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

/** CRI mounts of a container. */
export function containerMounts(c: Container, volumes: Map<string, string>): Mount[] {
  return (c.volumeMounts ?? []).filter((m) => volumes.has(m.name)).map((m) => ({
    containerPath: m.mountPath, hostPath: m.subPath ? join(volumes.get(m.name)!, m.subPath) : volumes.get(m.name)!, readonly: !!m.readOnly,
  }));
}

export function removePodDir(podDir: string): void { rmSync(podDir, { recursive: true, force: true }); }
