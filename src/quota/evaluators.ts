/**
 * Quota evaluators: which quota resource names an object kind accounts for, its usage,
 * and how it matches quota scopes (upstream pkg/quota/v1/evaluator/core: pods.go,
 * services.go, persistent_volume_claims.go; pkg/quota/v1/generic: the object-count
 * evaluator and CalculateUsageStats).
 */
import type { KubeObject } from '../api/object.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { ResourceRef } from '../client/interface.js';
import { addAmount, parseAmount, type Amount } from '../machinery/quantity-amount.js';

/** A usage: quota resource name → amount. */
export type Usage = Record<string, Amount>;

/** core/v1 ScopedResourceSelectorRequirement. */
export interface ScopeRequirement { scopeName: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }

/** What the controller needs to account for one kind. */
export interface Evaluator {
  /** The listed resource. */
  ref: ResourceRef;
  /** The quota resource names among `names` this evaluator measures (upstream MatchingResources). */
  matching(names: string[]): string[];
  /** The object's usage at `now` (ms). */
  usage(obj: KubeObject, now: number): Usage;
  /** Whether the object falls in a scope requirement; kinds other than pods never do. */
  matchesScope(req: ScopeRequirement, obj: KubeObject): boolean;
}

const one = (): Amount => parseAmount(1);
const zero = (): Amount => parseAmount(0);

/** The object-count name: `count/pods`, `count/deployments.apps` (upstream ObjectCountQuotaResourceNameFor). */
export const objectCountName = (ref: ResourceRef): string => `count/${ref.resource}${ref.group ? `.${ref.group}` : ''}`;

/** An evaluator counting objects under `count/<resource>[.<group>]` and, for legacy kinds, `alias` too. */
export function objectCountEvaluator(ref: ResourceRef, alias?: string): Evaluator {
  const names = [objectCountName(ref), ...(alias ? [alias] : [])];
  return {
    ref,
    matching: (input) => input.filter((n) => names.includes(n)),
    usage: () => Object.fromEntries(names.map((n) => [n, one()])),
    matchesScope: () => false,
  };
}

/** A service's usage: services, count/services, services.nodeports, services.loadbalancers (upstream ServiceUsageFunc). */
export function serviceEvaluator(ref: ResourceRef): Evaluator {
  const names = ['services', 'count/services', 'services.nodeports', 'services.loadbalancers'];
  return {
    ref,
    matching: (input) => input.filter((n) => names.includes(n)),
    usage: (obj) => {
      const spec = (obj as KubeObject & { spec?: { type?: string; ports?: Array<{ nodePort?: number }>; allocateLoadBalancerNodePorts?: boolean } }).spec ?? {};
      const ports = spec.ports ?? [];
      const u: Usage = { services: one(), 'count/services': one(), 'services.nodeports': zero(), 'services.loadbalancers': zero() };
      if (spec.type === 'NodePort') u['services.nodeports'] = parseAmount(ports.length);
      if (spec.type === 'LoadBalancer') {
        u['services.nodeports'] = parseAmount(spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length);
        u['services.loadbalancers'] = one();
      }
      return u;
    },
    matchesScope: () => false,
  };
}

const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';

/** A claim's usage: persistentvolumeclaims, count, requests.storage, and the per-storage-class forms (upstream PersistentVolumeClaim evaluator). */
export function persistentVolumeClaimEvaluator(ref: ResourceRef): Evaluator {
  const names = ['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage'];
  return {
    ref,
    matching: (input) => input.filter((n) => names.includes(n) || (n.includes(STORAGE_CLASS_SUFFIX) && /\/(requests\.storage|persistentvolumeclaims)$/.test(n))),
    usage: (obj) => {
      const spec = (obj as KubeObject & { spec?: { storageClassName?: string; resources?: { requests?: Record<string, string | number> } } }).spec ?? {};
      const u: Usage = { persistentvolumeclaims: one(), 'count/persistentvolumeclaims': one() };
      const sc = spec.storageClassName ?? obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
      if (sc) u[`${sc}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = one();
      const storage = spec.resources?.requests?.storage;
      if (storage !== undefined) {
        u['requests.storage'] = parseAmount(storage);
        if (sc) u[`${sc}${STORAGE_CLASS_SUFFIX}requests.storage`] = parseAmount(storage);
      }
      return u;
    },
    matchesScope: () => false,
  };
}

const POD_RESOURCES = ['pods', 'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage'];
const POD_PREFIXES = ['hugepages-', 'requests.hugepages-'];

/** An extended resource name (has a domain outside kubernetes.io, not `requests.`-prefixed). */
const isExtended = (name: string): boolean => name.includes('/') && !/(^|\.)kubernetes\.io\//.test(name) && !name.startsWith('requests.');

/** Whether the pod is still charged at `now`: not terminal, nor past its deletion grace period (upstream QuotaV1Pod). */
export function podCharged(pod: Pod, now: number): boolean {
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && deletionGracePeriodSeconds !== undefined && deletionGracePeriodSeconds !== null) {
    if (now > Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

type Lists = Record<string, Amount>;
const addTo = (to: Lists, from: Record<string, string | number> | undefined) => { for (const [k, v] of Object.entries(from ?? {})) to[k] = to[k] ? addAmount(to[k], parseAmount(v)) : parseAmount(v); };
const maxInto = (to: Lists, from: Lists) => { for (const [k, v] of Object.entries(from)) if (!to[k] || v.nanos > to[k].nanos) to[k] = v; };

/**
 * The pod's effective requests or limits: containers summed, restartable (sidecar) init
 * containers added, the max with each regular init container (plus the sidecars started
 * before it), and spec.overhead (for limits, only onto limits already set) (upstream
 * resourcehelper.PodRequests / PodLimits).
 */
export function podResources(pod: Pod, which: 'requests' | 'limits'): Lists {
  const spec = pod.spec ?? ({} as NonNullable<Pod['spec']>);
  const total: Lists = {};
  for (const c of spec.containers ?? []) addTo(total, c.resources?.[which] as Record<string, string | number>);
  const sidecars: Lists = {};
  const initMax: Lists = {};
  for (const c of spec.initContainers ?? []) {
    const r = c.resources?.[which] as Record<string, string | number> | undefined;
    if ((c as { restartPolicy?: string }).restartPolicy === 'Always') {
      addTo(total, r);
      addTo(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      const tmp: Lists = { ...sidecars };
      addTo(tmp, r);
      maxInto(initMax, tmp);
    }
  }
  maxInto(total, initMax);
  for (const [k, v] of Object.entries((spec.overhead ?? {}) as Record<string, string | number>)) {
    if (which === 'requests' || total[k]) total[k] = total[k] ? addAmount(total[k], parseAmount(v)) : parseAmount(v);
  }
  return total;
}

/** BestEffort QoS: status.qosClass when set, else no container with a non-zero cpu or memory request or limit. */
export function isBestEffort(pod: Pod): boolean {
  if (pod.status?.qosClass) return pod.status.qosClass === 'BestEffort';
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  return !containers.some((c) => (['requests', 'limits'] as const).some((w) =>
    Object.entries((c.resources?.[w] ?? {}) as Record<string, string | number>).some(([k, v]) => (k === 'cpu' || k === 'memory') && parseAmount(v).nanos !== 0n)));
}

/** Terminating scope: activeDeadlineSeconds set and >= 0. */
export const isTerminating = (pod: Pod): boolean => typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;

const usesCrossNamespaceAffinity = (pod: Pod): boolean => {
  const a = (pod.spec as { affinity?: Record<string, { requiredDuringSchedulingIgnoredDuringExecution?: Array<Record<string, unknown>>; preferredDuringSchedulingIgnoredDuringExecution?: Array<{ podAffinityTerm?: Record<string, unknown> }> }> } | undefined)?.affinity;
  const terms = ['podAffinity', 'podAntiAffinity'].flatMap((k) => [
    ...(a?.[k]?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(a?.[k]?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm ?? {}),
  ]);
  return terms.some((t) => (Array.isArray(t.namespaces) && t.namespaces.length > 0) || (t.namespaceSelector !== undefined && t.namespaceSelector !== null));
};

/** Whether a pod falls in a scope requirement (upstream podMatchesScopeFunc). */
export function podMatchesScope(req: ScopeRequirement, pod: Pod): boolean {
  switch (req.scopeName) {
    case 'Terminating': return isTerminating(pod);
    case 'NotTerminating': return !isTerminating(pod);
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity': return usesCrossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const pc = pod.spec?.priorityClassName ?? '';
      // As a label selector over {PriorityClass: <name>}: the key is always present.
      switch (req.operator) {
        case 'Exists': return pc !== '';
        case 'DoesNotExist': return false;
        case 'In': return (req.values ?? []).includes(pc);
        case 'NotIn': return !(req.values ?? []).includes(pc);
        default: return false;
      }
    }
    default: return false;
  }
}

/** The pod evaluator (upstream pods.go): count/pods always; pods and compute while charged. */
export function podEvaluator(ref: ResourceRef): Evaluator {
  return {
    ref,
    matching: (input) => input.filter((n) => POD_RESOURCES.includes(n) || POD_PREFIXES.some((p) => n.startsWith(p)) || (n.startsWith('requests.') && isExtended(n.slice('requests.'.length)))),
    usage: (obj, now) => {
      const pod = obj as Pod;
      const u: Usage = { 'count/pods': one() };
      if (!podCharged(pod, now)) return u;
      const requests = podResources(pod, 'requests');
      const limits = podResources(pod, 'limits');
      u.pods = one();
      for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
        if (requests[r]) { u[r] = requests[r]; u[`requests.${r}`] = requests[r]; }
        if (limits[r]) u[`limits.${r}`] = limits[r];
      }
      for (const [r, q] of Object.entries(requests)) {
        if (r.startsWith('hugepages-')) { u[r] = q; u[`requests.${r}`] = q; }
        if (isExtended(r)) u[`requests.${r}`] = q;
      }
      return u;
    },
    matchesScope: (req, obj) => podMatchesScope(req, obj as Pod),
  };
}

/**
 * The evaluators of the kinds upstream accounts for beyond object counts (pods,
 * services, persistentvolumeclaims) and of the legacy object-count names (configmaps,
 * secrets, replicationcontrollers, resourcequotas); shared by the quota controller and
 * the ResourceQuota admission plugin.
 */
export function builtinEvaluators(refs: { pods: ResourceRef; services: ResourceRef; persistentvolumeclaims: ResourceRef; configmaps: ResourceRef; secrets: ResourceRef; replicationcontrollers: ResourceRef; resourcequotas: ResourceRef }): Evaluator[] {
  return [
    podEvaluator(refs.pods),
    serviceEvaluator(refs.services),
    persistentVolumeClaimEvaluator(refs.persistentvolumeclaims),
    objectCountEvaluator(refs.configmaps, 'configmaps'),
    objectCountEvaluator(refs.secrets, 'secrets'),
    objectCountEvaluator(refs.replicationcontrollers, 'replicationcontrollers'),
    objectCountEvaluator(refs.resourcequotas, 'resourcequotas'),
  ];
}
