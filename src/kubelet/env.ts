/**
 * Container environment (upstream pkg/kubelet/kubelet_pods.go makeEnvironmentVariables):
 * the `kubernetes` Service variables, envFrom ConfigMaps/Secrets, then env entries with
 * value, `$(VAR)` expansion, and valueFrom configMapKeyRef / secretKeyRef / fieldRef /
 * resourceFieldRef (resource-field.ts; limits default to `allocatable`, the node's).
 * Throws Error (reason CreateContainerConfigError) when a required source is missing.
 */
import type { Container, Pod } from '../api/core/v1/pod-types.js';
import type { ConfigMap, Secret } from '../api/core/v1/types.js';
import { isNotFound } from '../machinery/errors.js';
import { resources, type Client } from '../client/interface.js';
import { resourceFieldValue, type Allocatable } from './resource-field.js';

export class ConfigError extends Error {}

/** Fetches ConfigMaps and Secrets once per sync. */
export class SourceCache {
  private readonly cms = new Map<string, Promise<ConfigMap | undefined>>();
  private readonly secrets = new Map<string, Promise<Secret | undefined>>();
  constructor(private readonly client: Client, private readonly namespace: string) {}
  configMap(name: string): Promise<ConfigMap | undefined> {
    if (!this.cms.has(name)) this.cms.set(name, this.client.resource<ConfigMap>(resources.configmaps).get(name, { namespace: this.namespace }).catch((e) => { if (isNotFound(e)) return undefined; throw e; }));
    return this.cms.get(name)!;
  }
  secret(name: string): Promise<Secret | undefined> {
    if (!this.secrets.has(name)) this.secrets.set(name, this.client.resource<Secret>(resources.secrets).get(name, { namespace: this.namespace }).catch((e) => { if (isNotFound(e)) return undefined; throw e; }));
    return this.secrets.get(name)!;
  }
}

const expand = (s: string, env: Map<string, string>): string => s.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\$/g, (m, name) => (m === '$$' ? '$' : env.has(name) ? env.get(name)! : m));

/** Expands `$(VAR)` references in command/args with the container's environment. */
export const expandAll = (list: string[] | undefined, env: Array<{ key: string; value: string }>): string[] | undefined =>
  list?.map((s) => expand(s, new Map(env.map((e) => [e.key, e.value]))));

/** The value of a downward-API `fieldPath` of `pod` (env and volume items). Throws ConfigError for a path the kubelet does not serve. */
export function fieldValue(pod: Pod, path: string, hostIP: string, podIP: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1] as 'labels'] ?? {})[m[2]] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name ?? '';
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP': case 'status.hostIPs': return hostIP;
    case 'status.podIP': case 'status.podIPs': return podIP;
    default: throw new ConfigError(`unsupported fieldRef ${path}`);
  }
}

export async function containerEnv(pod: Pod, c: Container, sources: SourceCache, ips: { hostIP: string; podIP: string }, kubernetesService?: { host: string; port: number }, allocatable: Allocatable = {}): Promise<Array<{ key: string; value: string }>> {
  const env = new Map<string, string>();
  if (pod.spec?.enableServiceLinks !== false && kubernetesService) {
    const { host, port } = kubernetesService;
    Object.entries({
      KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: String(port), KUBERNETES_SERVICE_PORT_HTTPS: String(port),
      KUBERNETES_PORT: `tcp://${host}:${port}`, [`KUBERNETES_PORT_${port}_TCP`]: `tcp://${host}:${port}`,
      [`KUBERNETES_PORT_${port}_TCP_PROTO`]: 'tcp', [`KUBERNETES_PORT_${port}_TCP_PORT`]: String(port), [`KUBERNETES_PORT_${port}_TCP_ADDR`]: host,
    }).forEach(([k, v]) => env.set(k, v));
  }
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef?.name) {
      const cm = await sources.configMap(from.configMapRef.name);
      if (!cm) { if (from.configMapRef.optional) continue; throw new ConfigError(`configmap "${from.configMapRef.name}" not found`); }
      for (const [k, v] of Object.entries(cm.data ?? {})) env.set(prefix + k, v);
    }
    if (from.secretRef?.name) {
      const s = await sources.secret(from.secretRef.name);
      if (!s) { if (from.secretRef.optional) continue; throw new ConfigError(`secret "${from.secretRef.name}" not found`); }
      for (const [k, v] of Object.entries(s.data ?? {})) env.set(prefix + k, Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) { env.set(e.name, expand(e.value, env)); continue; }
    const vf = e.valueFrom;
    if (!vf) { env.set(e.name, ''); continue; }
    if (vf.configMapKeyRef) {
      const ref = vf.configMapKeyRef;
      const cm = await sources.configMap(ref.name ?? '');
      const v = cm?.data?.[ref.key ?? ''];
      if (v === undefined) { if (ref.optional) continue; throw new ConfigError(cm ? `couldn't find key ${ref.key} in ConfigMap ${pod.metadata.namespace}/${ref.name}` : `configmap "${ref.name}" not found`); }
      env.set(e.name, v);
    } else if (vf.secretKeyRef) {
      const ref = vf.secretKeyRef;
      const s = await sources.secret(ref.name ?? '');
      const v = s?.data?.[ref.key ?? ''];
      if (v === undefined) { if (ref.optional) continue; throw new ConfigError(s ? `couldn't find key ${ref.key} in Secret ${pod.metadata.namespace}/${ref.name}` : `secret "${ref.name}" not found`); }
      env.set(e.name, Buffer.from(v, 'base64').toString('utf8'));
    } else if (vf.fieldRef) {
      env.set(e.name, fieldValue(pod, vf.fieldRef.fieldPath ?? '', ips.hostIP, ips.podIP));
    } else if (vf.resourceFieldRef) {
      env.set(e.name, resourceFieldValue(pod, c, vf.resourceFieldRef as never, allocatable));
    } else env.set(e.name, '');
  }
  return [...env].map(([key, value]) => ({ key, value }));
}
