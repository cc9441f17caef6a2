/**
 * Discovery documents (upstream k8s.io/apiserver/pkg/endpoints/discovery): /api
 * (APIVersions), /apis (APIGroupList), /apis/{group} (APIGroup) and the
 * APIResourceList of each group/version, built from the registry's ResourceInfo.
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../api/resource-definition.js';

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
  const lists = new Map<string, unknown>();
  for (const [g, versions] of groups) {
    for (const v of versions) {
      const rs: unknown[] = [];
      for (const r of resources.filter((x) => x.group === g && x.version === v)) {
        rs.push({
          name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}), ...(r.categories ? { categories: r.categories } : {}),
          storageVersionHash: storageVersionHash(r),
        });
        for (const sub of r.subresources ?? []) {
          const sr = subresourceDoc(r, sub);
          if (sr) rs.push(sr);
        }
      }
      lists.set(gvOf(g, v), { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvOf(g, v), resources: rs });
    }
  }
  return {
    api: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] },
    apis: { kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(groupDoc) },
    group: (name) => (groups.has(name) && name ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(name) } : undefined),
    resourceList: (g, v) => lists.get(gvOf(g, v)),
  };
}

function subresourceDoc(r: ResourceInfo, sub: string): unknown | undefined {
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
    case 'finalize': return { ...base, kind: 'Namespace', verbs: ['update'] };
    default: return undefined;
  }
}
