/**
 * Builds the apiserver's registry: one GenericStore per kind with its strategy, plus
 * the subresources, keyed `group/resource[/subresource]`.
 */
import type { ResourceInfo } from '../../api/resource-info.js';
import { kinds, virtualKinds } from '../../api/kinds.js';
import { componentStatusStorage } from './component-status.js';
import type { Storage } from '../../storage/interface.js';
import { defaultStrategy, type Strategy } from './strategy.js';
import { GenericStore } from './store.js';
import { bindingStorage, finalizeStorage, scaleStorage, statusStorage } from './subresources.js';
import { podStrategy } from './strategies/pod.js';
import { serviceStrategy } from './strategies/service.js';
import { namespaceStrategy } from './strategies/namespace.js';
import { deploymentStrategy, replicaSetStrategy } from './strategies/workload.js';
import type { Registry, RestStorage } from './rest.js';

export interface RegistryOptions {
  /** Service cluster IP range. Default 10.96.0.0/12. */
  serviceCIDR?: string;
  clock?: () => Date;
}

/** Creates every store over `storage`. */
export function createRegistry(storage: Storage, opts: RegistryOptions = {}): Registry {
  const map = new Map<string, RestStorage>();
  const stores = new Map<string, GenericStore>();
  let namespaces: GenericStore;
  const namespaceLookup = async (name: string) => {
    try { return await storage.get(namespaces.key('', name)); } catch { return undefined; }
  };
  const strategies: Record<string, () => Strategy> = {
    '/pods': podStrategy,
    '/namespaces': namespaceStrategy,
    '/services': () => serviceStrategy(opts.serviceCIDR ?? '10.96.0.0/12', async () => (await storage.list(stores.get('/services')!.prefix())).items),
    'apps/deployments': deploymentStrategy,
    'apps/replicasets': replicaSetStrategy,
  };
  for (const kind of kinds) {
    const id = `${kind.info.group}/${kind.info.plural}`;
    const strategy = strategies[id]?.() ?? defaultStrategy(kind);
    const store = new GenericStore({ storage, strategy, namespaceLookup, clock: opts.clock });
    stores.set(id, store);
    map.set(id, store);
    for (const sub of kind.info.subresources ?? []) {
      if (sub === 'status') map.set(`${id}/status`, statusStorage(store));
      if (sub === 'scale') map.set(`${id}/scale`, scaleStorage(store));
    }
  }
  namespaces = stores.get('/namespaces')!;
  map.set('/pods/binding', bindingStorage(stores.get('/pods')!));
  map.set('/namespaces/finalize', finalizeStorage(namespaces));
  const leases = stores.get('coordination.k8s.io/leases')!;
  const cs = virtualKinds.find((k) => k.info.plural === 'componentstatuses')!;
  map.set('/componentstatuses', componentStatusStorage(cs, storage, (name) => leases.key('kube-system', name)));
  const infos: ResourceInfo[] = [...kinds, ...virtualKinds].map((k) => k.info);
  return {
    resources: () => infos,
    lookup: (group, version, resource, subresource) => {
      const s = map.get(`${group}/${resource}${subresource ? '/' + subresource : ''}`);
      return s && s.info.version === version ? s : undefined;
    },
  };
}
