/**
 * Discovery documents (upstream k8s.io/apiserver/pkg/endpoints/discovery): /api
 * (APIVersions), /apis (APIGroupList), /apis/{group} (APIGroup) and the
 * APIResourceList of each group/version, built from the registry's ResourceInfo; and
 * from the same APIResource entries the aggregated documents of KEP-3352
 * (discovery/aggregated: apidiscovery.k8s.io/v2 and v2beta1 APIGroupDiscoveryList) that
 * /api and /apis answer when asked for them (aggregated-discovery.ts).
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../api/resource-definition.js';

/** meta/v1 APIResource as the legacy APIResourceList carries it. */
interface ApiResource {
  name: string; singularName: string; namespaced: boolean; group?: string; version?: string; kind: string; verbs: string[];
  shortNames?: string[]; categories?: string[]; storageVersionHash?: string;
}

/**
 * Upstream's StorageVersionHash: the first 8 bytes of sha256("group/version/kind") of
 * the storage version, base64 — equal for every version served over one storage.
 */
export function storageVersionHash(r: Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'storedAs'>): string {
  const s = r.storedAs ?? r;
  return createHash('sha256').update(`${s.group}/${s.version}/${s.kind}`).digest().subarray(0, 8).toString('base64');
}

export interface DiscoveryDocs {
  api: unknown;
  apis: unknown;
  /** apidiscovery.k8s.io `version` APIGroupDiscoveryList of /api (`legacy`, the core group) or /apis (the named groups). */
  aggregated(legacy: boolean, version: 'v2' | 'v2beta1'): unknown;
  group(name: string): unknown | undefined;
  resourceList(group: string, version: string): unknown | undefined;
}

/** Builds every discovery document once (the set of resources is fixed at start). */
export function buildDiscovery(resources: ResourceInfo[], serverAddress: string): DiscoveryDocs {
  const groups = new Map<string, Set<string>>();
  for (const r of resources) {
    if (!groups.has(r.group)) groups.set(r.group, new Set());
    groups.get(r.group)!.add(r.version);
  }
  const gvOf = (g: string, v: string) => (g ? `${g}/${v}` : v);
  const groupDoc = (g: string) => {
    const versions = [...groups.get(g)!].map((v) => ({ groupVersion: gvOf(g, v), version: v }));
    return { name: g, versions, preferredVersion: versions[0] };
  };
  const named = [...groups.keys()].filter((g) => g !== '');
  const lists = new Map<string, { kind: string; apiVersion: string; groupVersion: string; resources: ApiResource[] }>();
  for (const [g, versions] of groups) {
    for (const v of versions) {
      const rs: ApiResource[] = [];
      for (const r of resources.filter((x) => x.group === g && x.version === v)) {
        rs.push({
          name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}), ...(r.categories ? { categories: r.categories } : {}),
          ...(r.notStored ? {} : { storageVersionHash: storageVersionHash(r) }),
        });
        for (const sub of r.subresources ?? []) {
          const sr = subresourceDoc(r, sub);
          if (sr) rs.push(sr);
        }
      }
      lists.set(gvOf(g, v), { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvOf(g, v), resources: rs });
    }
  }
  const aggregatedGroup = (g: string) => ({
    metadata: { ...(g ? { name: g } : {}), creationTimestamp: null },
    versions: [...groups.get(g)!].map((v) => ({ version: v, resources: aggregatedResources(lists.get(gvOf(g, v))!.resources), freshness: 'Current' })),
  });
  return {
    aggregated: (legacy, version) => ({
      kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {},
      items: legacy ? (groups.has('') ? [aggregatedGroup('')] : []) : named.map(aggregatedGroup),
    }),
    api: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] },
    apis: { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(groupDoc) },
    group: (name) => (groups.has(name) && name ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(name) } : undefined),
    resourceList: (g, v) => lists.get(gvOf(g, v)),
  };
}

/**
 * apidiscovery/v2 APIResourceDiscovery of one version's APIResource entries (upstream
 * endpoints/installer.go ConvertGroupVersionIntoToDiscovery): each main resource with its
 * `<resource>/<sub>` entries folded in as subresources; responseKind keeps the
 * APIResource's group/version (empty when it is the resource's own).
 */
function aggregatedResources(list: ApiResource[]): unknown[] {
  const out: Array<Record<string, unknown> & { subresources?: unknown[] }> = [];
  const byName = new Map<string, Record<string, unknown> & { subresources?: unknown[] }>();
  const responseKind = (r: ApiResource) => ({ group: r.group ?? '', version: r.version ?? '', kind: r.kind });
  for (const r of list) {
    const [name, sub] = r.name.split('/');
    if (!sub) {
      const doc = {
        resource: name, responseKind: responseKind(r), scope: r.namespaced ? 'Namespaced' : 'Cluster', singularResource: r.singularName, verbs: r.verbs,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}), ...(r.categories ? { categories: r.categories } : {}),
      };
      byName.set(name, doc);
      out.push(doc);
      continue;
    }
    const parent = byName.get(name);
    if (parent) (parent.subresources ??= []).push({ subresource: sub, responseKind: responseKind(r), verbs: r.verbs });
  }
  return out;
}

function subresourceDoc(r: ResourceInfo, sub: string): ApiResource | undefined {
  const base = { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced };
  switch (sub) {
    case 'status': return { ...base, kind: r.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale': return { ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    case 'binding': return { ...base, kind: 'Binding', verbs: ['create'] };
    case 'eviction': return { ...base, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'log': return { ...base, kind: 'Pod', verbs: ['get'] };
    case 'exec': return { ...base, kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach': return { ...base, kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward': return { ...base, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'proxy': return { ...base, kind: `${r.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    case 'finalize': return { ...base, kind: 'Namespace', verbs: ['update'] };
    case 'ephemeralcontainers': return { ...base, kind: 'Pod', verbs: ['get', 'patch', 'update'] };
    case 'approval': return { ...base, kind: r.kind, verbs: ['get', 'patch', 'update'] };
    case 'token': return { ...base, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    default: return undefined;
  }
}
