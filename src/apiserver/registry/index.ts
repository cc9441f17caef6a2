/**
 * Builds the apiserver's registry from the resource table: one GenericStore per stored
 * kind with its strategy and the admission chain, the subresources each kind declares
 * (status, scale, binding, finalize, and the connecters log/exec/attach/portforward/proxy),
 * and the virtual kinds' storages (ComponentStatus; metrics.k8s.io, resource-metrics.ts; the review kinds, reviews.ts, over
 * the authorizer and the authentication chain). Kinds added to the table later (CRDs) get their
 * stores when first looked up.
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceDefinition, ResourceInfo, StrategyDeps } from '../../api/resource-definition.js';
import type { ResourceTable } from '../../api/resource-table.js';
import type { Storage } from '../../storage/interface.js';
import { AllocationLedger } from '../../machinery/allocation-ledger.js';
import { isStorageError, StorageError } from '../../storage/errors.js';
import type { ResourceQuota } from '../../api/core/v1/resource-quota.js';
import { builtinEvaluators } from '../../quota/evaluators.js';
import { resources } from '../../client/interface.js';
import { evaluatorLookup, type QuotaAccess } from '../admission/resource-quota.js';
import type { AdmissionChain } from '../admission/chain.js';
import { defaultAdmissionChain } from '../admission/default-chain.js';
import type { Authenticator } from '../authn/authenticator.js';
import { X509Authenticator } from '../authn/x509.js';
import { BootstrapTokenAuthenticator } from '../authn/bootstrap-token.js';
import type { Authorizer } from '../authz/authorizer.js';
import { AlwaysAllowAuthorizer } from '../authz/always-allow.js';
import { buildAuthorizer, type AuthorizationMode } from '../authz/authorization-modes.js';
import { storedAuthorizationSources } from './authorization-sources.js';
import { componentStatusStorage } from './component-status.js';
import { reviewStorage } from './reviews.js';
import { metricsStorage, kubeletSummarySource, SummaryCache, type SummarySource } from './resource-metrics.js';
import { podLogStorage, type KubeletClientConfig } from './connecters/pod-log.js';
import { podStreamStorage } from './connecters/pod-stream.js';
import { nodeProxyStorage, podProxyStorage, serviceProxyStorage, type ProxyOptions } from './connecters/proxy.js';
import { strategyFor } from './strategy.js';
import { evictionStorage } from './eviction.js';
import { tokenRequestStorage } from './token-request.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, type ServiceAccountTokens } from '../authn/service-account-token.js';
import { GenericStore } from './store.js';
import { watchChangeGeneration } from './change-generation.js';
import { approvalStorage, bindingStorage, ephemeralContainersStorage, finalizeStorage, scaleStorage, statusStorage } from './subresources.js';
import type { Registry, RestStorage } from './rest.js';

export interface RegistryOptions {
  /** The served kinds. */
  table: ResourceTable;
  /** Service cluster IP range. Default 10.96.0.0/12. */
  serviceCIDR?: string;
  clock?: () => Date;
  /** Admission chain; default: upstream's order of the plugins k8ts has (default-chain.ts). */
  admission?: AdmissionChain;
  /** Where admission plugins report what they ignore (e.g. a webhook failing open); default dropped. */
  admissionLog?: (message: string) => void;
  /** BOOKMARK period of watches with allowWatchBookmarks (ms); default 60000. */
  bookmarkIntervalMs?: number;
  /** Client certificate for kubelet APIs; without it the connecters (log, exec...) are not served. */
  kubeletClient?: Omit<KubeletClientConfig, 'nodes'>;
  /** The authorizer every request (and the review kinds, impersonation) is judged by; default AlwaysAllow. */
  authorizer?: Authorizer;
  /**
   * `--authorization-mode` (authz/authorization-modes.ts), used when `authorizer` is not
   * given: the chain is built over this registry's own storage, and with RBAC the
   * escalation checks, with Node the NodeRestriction admission, join the admission chain.
   */
  authorizationModes?: AuthorizationMode[];
  /** Whether requests without credentials are judged by the authorizer as system:anonymous (Registry.authorizeAnonymous); default false. */
  authorizeAnonymous?: boolean;
  /** The authentication chain of the apiserver (requests, TokenReview); default x509 client certificates. */
  authenticators?: Authenticator[];
  /** Audiences of a TokenReview that names none (upstream --api-audiences); default the service account issuer's. */
  apiAudiences?: string[];
  /**
   * Bound ServiceAccount tokens: the TokenRequest API (`serviceaccounts/token`) and their
   * authentication (appended to the chain). Without it neither is served.
   */
  serviceAccountTokens?: ServiceAccountTokens;
  /** Bootstrap token authentication from `kube-system/bootstrap-token-*` Secrets (upstream --enable-bootstrap-token-auth); default off. */
  bootstrapTokens?: boolean;
  /** pods/nodes/services proxy: e.g. whether loopback targets are allowed (upstream: no). */
  proxy?: ProxyOptions;
  /** Node summaries for metrics.k8s.io; default the kubelets' /stats/summary with `kubeletClient` (none without it: empty lists). */
  metricsSource?: SummarySource;
}

/** Upstream's default --api-audiences: the --service-account-issuer kubeadm sets. */
export const DEFAULT_API_AUDIENCES = [DEFAULT_SERVICE_ACCOUNT_ISSUER];

/** What a subresource is built from: its parent's store, the other stores, the table and the kubelet client. */
interface SubresourceDeps { storeOf: (def: ResourceDefinition) => GenericStore; table: ResourceTable; kc?: KubeletClientConfig; clock: () => Date; proxy: ProxyOptions; tokens?: ServiceAccountTokens }
type SubresourceFactory = (main: GenericStore, deps: SubresourceDeps) => RestStorage | undefined;

/** Subresources by name: how each is built over its parent's store. */
const SUBRESOURCES: Record<string, SubresourceFactory> = {
  status: (main) => statusStorage(main),
  approval: (main) => approvalStorage(main),
  scale: (main) => scaleStorage(main),
  binding: (main) => bindingStorage(main),
  finalize: (main) => finalizeStorage(main),
  ephemeralcontainers: (main) => ephemeralContainersStorage(main),
  eviction: (main, d) => {
    const budgets = d.table.get('policy', 'v1', 'poddisruptionbudgets');
    return evictionStorage(main, budgets && d.storeOf(budgets), d.clock);
  },
  token: (main, d) => {
    if (!d.tokens) return undefined;
    const store = (plural: string) => { const def = d.table.get('', 'v1', plural); return def && d.storeOf(def); };
    return tokenRequestStorage(main, { pods: store('pods'), secrets: store('secrets'), nodes: store('nodes') }, d.tokens, d.clock);
  },
  log: (main, d) => (d.kc ? podLogStorage(main, d.kc) : undefined),
  exec: (main, d) => (d.kc ? podStreamStorage(main, 'exec', d.kc) : undefined),
  attach: (main, d) => (d.kc ? podStreamStorage(main, 'attach', d.kc) : undefined),
  portforward: (main, d) => (d.kc ? podStreamStorage(main, 'portforward', d.kc) : undefined),
  proxy: (main, d) => {
    const store = (group: string, plural: string) => { const def = d.table.get(group, 'v1', plural); return def && d.storeOf(def); };
    switch (main.info.plural) {
      case 'pods': return podProxyStorage(main, d.proxy);
      case 'nodes': return d.kc ? nodeProxyStorage(main, d.kc, d.proxy) : undefined;
      case 'services': {
        const pods = store('', 'pods');
        return pods && serviceProxyStorage(main, { pods, endpointSlices: store('discovery.k8s.io', 'endpointslices'), endpoints: store('', 'endpoints') });
      }
      default: return undefined;
    }
  },
};

/** Creates the registry over `storage` for the kinds of `opts.table`. */
export function createRegistry(storage: Storage, opts: RegistryOptions): Registry {
  const { table } = opts;
  const clock = opts.clock ?? (() => new Date());
  const stores = new Map<ResourceDefinition, GenericStore>();
  const storages = new Map<string, RestStorage>();
  const storeOf = (def: ResourceDefinition): GenericStore => {
    let s = stores.get(def);
    if (!s) {
      s = new GenericStore({ storage, strategy: strategyFor(def, deps), admission, clock, bookmarkIntervalMs: opts.bookmarkIntervalMs });
      stores.set(def, s);
    }
    return s;
  };
  const deps: StrategyDeps = {
    serviceCIDR: opts.serviceCIDR ?? '10.96.0.0/12',
    listAll: async (def) => { const s = storeOf(def); return (await s.storage.list<KubeObject>(s.prefix())).items; },
    clock,
    allocations: new AllocationLedger(undefined, undefined, storage),
  };
  const namespaces = table.get('', 'v1', 'namespaces');
  const nodes = table.get('', 'v1', 'nodes');
  /** A stored object by definition, name and namespace ('' for cluster-scoped); undefined when absent. `fromCache`: see Storage.get (the object is then frozen). */
  const lookup = async (def: ResourceDefinition | undefined, name: string, namespace = '', fromCache = false): Promise<KubeObject | undefined> => {
    if (!def || !name) return undefined;
    try { return await storage.get(storeOf(def).key(namespace, name), { fromCache }); } catch (err) { if (isStorageError(err, 'KeyNotFound')) return undefined; throw err; }
  };
  /** ResourceQuota admission's view of quotas: listed and CAS-written through storage. */
  const quotaAccess = (): QuotaAccess => {
    const def = table.get('', 'v1', 'resourcequotas');
    const evaluatorFor = evaluatorLookup(builtinEvaluators(resources), (ref) => {
      const d = table.byResource(ref.group, ref.resource);
      return !!d && d.info.namespaced !== false && (d.serving ?? 'stored') === 'stored';
    });
    return {
      evaluatorFor,
      async list(namespace, fresh) {
        if (!def) return [];
        const s = storeOf(def);
        return (await s.storage.list<ResourceQuota>(s.prefix(namespace), { fromCache: !fresh })).items;
      },
      async updateUsed(quota, used) {
        if (!def) return true;
        const s = storeOf(def);
        try {
          await s.storage.guaranteedUpdate<ResourceQuota>(s.key(quota.metadata.namespace!, quota.metadata.name!), (cur) => {
            if (!cur) throw new StorageError('KeyNotFound', '', 'gone');
            return { ...cur, status: { ...(cur.status ?? {}), used } };
          }, { preconditions: { resourceVersion: quota.metadata.resourceVersion } });
          return true;
        } catch (err) {
          if (isStorageError(err, 'ResourceVersionConflicts') || isStorageError(err, 'KeyNotFound')) return false;
          throw err;
        }
      },
    };
  };
  const listCached = async (def: ResourceDefinition | undefined, namespace: string): Promise<KubeObject[]> => {
    if (!def) return [];
    const st = storeOf(def);
    return (await st.storage.list<KubeObject>(st.prefix(namespace), { fromCache: true })).items;
  };
  const built = !opts.authorizer && opts.authorizationModes
    ? buildAuthorizer(opts.authorizationModes, storedAuthorizationSources(table, {
      get: lookup, list: listCached,
      generation: (defs) => { const g = watchChangeGeneration(storage, defs.map((d) => storeOf(d).prefix())); return () => g.current(); },
    }))
    : undefined;
  const authorizer = opts.authorizer ?? built?.authorizer ?? new AlwaysAllowAuthorizer();
  const admission = opts.admission ?? defaultAdmissionChain({
    ...(opts.authorizationModes?.includes('Node') ? { nodeRestriction: { getPod: (ns: string, name: string) => lookup(table.get('', 'v1', 'pods'), name, ns), getNode: (name: string) => lookup(nodes, name) } } : {}),
    ...(built?.rbac ? { rbacEscalation: { authorizer, resolver: built.rbac.resolver } } : {}),
    authorizer,
    // From the watch cache, as upstream's plugin reads its namespace lister (a namespace
    // not yet cached is read from storage); the plugin only reads the object.
    namespace: (name) => lookup(namespaces, name, '', true),
    priorityClass: (name) => lookup(table.get('scheduling.k8s.io', 'v1', 'priorityclasses'), name),
    serviceAccount: async (namespace, name) => (namespace ? lookup(table.get('', 'v1', 'serviceaccounts'), name, namespace) : undefined),
    quotas: quotaAccess(),
    limitRanges: async (namespace) => (namespace ? listCached(table.get('', 'v1', 'limitranges'), namespace) as never : []),
    pods: async (namespace) => (namespace ? listCached(table.get('', 'v1', 'pods'), namespace) : []),
    objects: {
      list: (group, version, plural, namespace = '') => listCached(table.get(group, version, plural), namespace),
      get: (group, version, plural, name, namespace = '') => lookup(table.get(group, version, plural), name, namespace),
      resourceFor: (apiVersion, kind) => table.byKind(apiVersion, kind)?.info,
    },
    log: opts.admissionLog,
  });
  const leases = table.get('coordination.k8s.io', 'v1', 'leases');
  const tokens = opts.serviceAccountTokens;
  const authenticators = [
    ...(opts.authenticators ?? [new X509Authenticator()]),
    ...(opts.bootstrapTokens ? [new BootstrapTokenAuthenticator((name) => lookup(table.get('', 'v1', 'secrets'), name, 'kube-system'), clock)] : []),
    ...(tokens ? [tokens] : []),
  ];
  if (tokens) {
    const core = (plural: string) => table.get('', 'v1', plural);
    tokens.setGetter({
      serviceAccount: (ns, name) => lookup(core('serviceaccounts'), name, ns),
      pod: (ns, name) => lookup(core('pods'), name, ns),
      secret: (ns, name) => lookup(core('secrets'), name, ns),
      node: (name) => lookup(core('nodes'), name),
    });
  }
  const reviewDeps = { authorizer, authenticators, apiAudiences: opts.apiAudiences ?? DEFAULT_API_AUDIENCES, clock };
  const metricsSource = opts.metricsSource ?? (opts.kubeletClient ? kubeletSummarySource(opts.kubeletClient) : { summary: () => Promise.reject(new Error('no kubelet client')) });
  const summaries = new SummaryCache(metricsSource);
  const corePods = table.get('', 'v1', 'pods');
  const virtual = (def: ResourceDefinition): RestStorage | undefined => {
    if (def.info.group === 'metrics.k8s.io') {
      const nodesDef = table.get('', 'v1', 'nodes');
      return nodesDef && corePods ? metricsStorage(def, { nodes: storeOf(nodesDef), pods: storeOf(corePods), source: metricsSource }, summaries) : undefined;
    }
    return def.info.group === '' && def.info.plural === 'componentstatuses' && leases
      ? componentStatusStorage(def, storage, (name) => storeOf(leases).key('kube-system', name))
      : reviewStorage(def, reviewDeps);
  };
  const kc = opts.kubeletClient && nodes ? { ...opts.kubeletClient, nodes: storeOf(nodes) } : undefined;

  const build = (def: ResourceDefinition, subresource: string | undefined): RestStorage | undefined => {
    const serving = def.serving ?? 'stored';
    if (serving === 'request') return undefined;
    if (serving === 'virtual') return subresource ? undefined : virtual(def);
    const main = storeOf(def);
    if (!subresource) return main;
    if (!(def.info.subresources ?? []).includes(subresource)) return undefined;
    return SUBRESOURCES[subresource]?.(main, { storeOf, table, kc, clock, proxy: opts.proxy ?? {}, tokens });
  };
  // Kinds removed from the table lose their storages.
  table.onChange(() => {
    storages.clear();
    for (const def of [...stores.keys()]) if (!table.get(def.info.group, def.info.version, def.info.plural)) stores.delete(def);
  });
  return {
    resources: (): ResourceInfo[] => table.served().map((d) => {
      if ((d.serving ?? 'stored') !== 'stored') return { ...d.info, notStored: true };
      const stored = d.storageVersion?.definition.info;
      return stored ? { ...d.info, storedAs: { group: stored.group, version: stored.version, kind: stored.kind } } : d.info;
    }),
    authorizer,
    authenticators,
    currentRevision: () => storage.currentRevision(),
    serviceAccountTokens: tokens,
    authorizeAnonymous: opts.authorizeAnonymous ?? false,
    lookup: (group, version, resource, subresource) => {
      const id = `${group}/${version}/${resource}/${subresource ?? ''}`;
      if (storages.has(id)) return storages.get(id);
      const def = table.get(group, version, resource);
      const s = def && build(def, subresource);
      if (s) storages.set(id, s);
      return s;
    },
    table,
  };
}

