/**
 * LimitRanger (upstream plugin/pkg/admission/limitranger): applies the LimitRanges of a
 * request's namespace.
 * - admit (pods, CREATE): every container and init container missing a limit or request
 *   that a `type: Container` item has a `default` / `defaultRequest` for gets it, and
 *   the pod is annotated `kubernetes.io/limit-ranger: LimitRanger plugin set: cpu,
 *   memory request for container app; cpu limit for init container setup`.
 * - validate (pods on CREATE; PersistentVolumeClaims on CREATE and UPDATE): `min`, `max`
 *   and `maxLimitRequestRatio` of `Container` items per container (init containers
 *   included), of `Pod` items on the pod's effective requests/limits (sidecars added,
 *   init containers as the max), of `PersistentVolumeClaim` items on the claim's
 *   requests. Every broken constraint is listed; the refusal is a 403
 *   `pods "x" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, …]`
 *   (one error: without brackets), worded as upstream.
 * Pod updates are not checked (containers' resources are immutable), nor objects that
 * are being deleted, nor subresources.
 */
import type { KubeObject } from '../../api/object.js';
import type { Container, Pod } from '../../api/core/v1/pod-types.js';
import { isSidecar } from '../../api/core/v1/sidecar.js';
import { forbidden } from '../../machinery/errors.js';
import { milliValue } from '../../machinery/quantity.js';
import { formatAmount } from '../../machinery/quantity-amount.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

/** The annotation listing what the plugin defaulted. */
export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string | number>;
interface LimitRangeItem {
  type?: string; min?: ResourceList; max?: ResourceList; default?: ResourceList; defaultRequest?: ResourceList; maxLimitRequestRatio?: ResourceList;
}
/** A stored LimitRange (core/v1). */
export interface LimitRange extends KubeObject { spec?: { limits?: LimitRangeItem[] } }

const str = (q: string | number): string => String(q);
const sortedKeys = (l: ResourceList | undefined): string[] => Object.keys(l ?? {}).sort();

/** Container requirements the `Container` items default to (upstream defaultContainerResourceRequirements). */
function defaults(lr: LimitRange): { requests: ResourceList; limits: ResourceList } {
  const out = { requests: {} as ResourceList, limits: {} as ResourceList };
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(out.requests, item.defaultRequest ?? {});
    Object.assign(out.limits, item.default ?? {});
  }
  return out;
}

/** Sets missing requests/limits of every container from `lr`; annotates what it set. */
export function mutatePod(lr: LimitRange, pod: Pod): void {
  const d = defaults(lr);
  const notes: string[] = [];
  const merge = (c: Container, prefix: string): void => {
    const res = (c.resources ??= {}) as { requests?: ResourceList; limits?: ResourceList };
    const limits = (res.limits ??= {});
    const requests = (res.requests ??= {});
    const setLimits = sortedKeys(d.limits).filter((k) => !(k in limits));
    const setRequests = sortedKeys(d.requests).filter((k) => !(k in requests));
    for (const k of setLimits) limits[k] = d.limits[k];
    for (const k of setRequests) requests[k] = d.requests[k];
    if (setRequests.length) notes.push(`${setRequests.join(', ')} request for ${prefix} ${c.name}`);
    if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for ${prefix} ${c.name}`);
  };
  for (const c of pod.spec?.containers ?? []) merge(c, 'container');
  for (const c of pod.spec?.initContainers ?? []) merge(c, 'init container');
  if (notes.length) (pod.metadata.annotations ??= {})[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

function minConstraint(type: string, r: string, enforced: string | number, req: ResourceList, lim: ResourceList): string | undefined {
  if (!(r in req)) return `minimum ${r} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (milliValue(req[r]) < milliValue(enforced)) return `minimum ${r} usage per ${type} is ${str(enforced)}, but request is ${str(req[r])}`;
  if (r in lim && milliValue(lim[r]) < milliValue(enforced)) return `minimum ${r} usage per ${type} is ${str(enforced)}, but limit is ${str(lim[r])}`;
  return undefined;
}

function maxConstraint(type: string, r: string, enforced: string | number, req: ResourceList, lim: ResourceList): string | undefined {
  if (!(r in lim)) return `maximum ${r} usage per ${type} is ${str(enforced)}.  No limit is specified`;
  if (milliValue(lim[r]) > milliValue(enforced)) return `maximum ${r} usage per ${type} is ${str(enforced)}, but limit is ${str(lim[r])}`;
  if (r in req && milliValue(req[r]) > milliValue(enforced)) return `maximum ${r} usage per ${type} is ${str(enforced)}, but request is ${str(req[r])}`;
  return undefined;
}

/** Max for claims: only requests are user input (upstream maxRequestConstraint). */
function maxRequestConstraint(type: string, r: string, enforced: string | number, req: ResourceList): string | undefined {
  if (!(r in req)) return `maximum ${r} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (milliValue(req[r]) > milliValue(enforced)) return `maximum ${r} usage per ${type} is ${str(enforced)}, but request is ${str(req[r])}`;
  return undefined;
}

function ratioConstraint(type: string, r: string, enforced: string | number, req: ResourceList, lim: ResourceList): string | undefined {
  const rq = r in req ? milliValue(req[r]) : 0;
  const lm = r in lim ? milliValue(lim[r]) : 0;
  if (rq === 0) return `${r} max limit to request ratio per ${type} is ${str(enforced)}, but no request is specified or request is 0`;
  if (lm === 0) return `${r} max limit to request ratio per ${type} is ${str(enforced)}, but no limit is specified or limit is 0`;
  const ratio = lm / rq;
  if (ratio * 1000 > milliValue(enforced)) return `${r} max limit to request ratio per ${type} is ${str(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

/** Adds (milli-units) `add` into `into`. */
const addInto = (into: Record<string, number>, add: ResourceList | undefined): void => {
  for (const [k, v] of Object.entries(add ?? {})) into[k] = (into[k] ?? 0) + milliValue(v);
};
const maxInto = (into: Record<string, number>, other: Record<string, number>): void => {
  for (const [k, v] of Object.entries(other)) if (!(k in into) || v > into[k]) into[k] = v;
};

/**
 * The pod's effective requests or limits (upstream podRequests/podLimits): app containers
 * and sidecars summed, each plain init container (plus the sidecars started before it)
 * as a floor, as canonical quantities (binary when any summed quantity was).
 */
export function podTotals(pod: Pod, field: 'requests' | 'limits'): ResourceList {
  const total: Record<string, number> = {};
  const binary = new Set<string>();
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  for (const c of all) for (const [k, v] of Object.entries((c.resources as Record<string, ResourceList> | undefined)?.[field] ?? {})) if (/i$/.test(String(v))) binary.add(k);
  for (const c of pod.spec?.containers ?? []) addInto(total, (c.resources as Record<string, ResourceList> | undefined)?.[field]);
  const sidecars: Record<string, number> = {};
  const inits: Record<string, number> = {};
  for (const c of pod.spec?.initContainers ?? []) {
    const own = (c.resources as Record<string, ResourceList> | undefined)?.[field];
    if (isSidecar(c)) {
      addInto(total, own);
      addInto(sidecars, own);
      maxInto(inits, sidecars);
    } else {
      const tmp: Record<string, number> = {};
      addInto(tmp, own);
      for (const [k, v] of Object.entries(sidecars)) tmp[k] = (tmp[k] ?? 0) + v;
      maxInto(inits, tmp);
    }
  }
  maxInto(total, inits);
  return Object.fromEntries(Object.entries(total).map(([k, v]) => [k, formatAmount({ nanos: BigInt(v) * 1_000_000n, format: binary.has(k) ? 'BinarySI' : 'DecimalSI' })]));
}

/** Every broken constraint of `lr` for `pod` (upstream PodValidateLimitFunc), in a stable order. */
export function validatePod(lr: LimitRange, pod: Pod): string[] {
  const errs: string[] = [];
  const check = (item: LimitRangeItem, type: string, req: ResourceList, lim: ResourceList): void => {
    for (const r of sortedKeys(item.min)) { const e = minConstraint(type, r, item.min![r], req, lim); if (e) errs.push(e); }
    for (const r of sortedKeys(item.max)) { const e = maxConstraint(type, r, item.max![r], req, lim); if (e) errs.push(e); }
    for (const r of sortedKeys(item.maxLimitRequestRatio)) { const e = ratioConstraint(type, r, item.maxLimitRequestRatio![r], req, lim); if (e) errs.push(e); }
  };
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        const res = (c.resources ?? {}) as { requests?: ResourceList; limits?: ResourceList };
        check(item, 'Container', res.requests ?? {}, res.limits ?? {});
      }
    } else if (item.type === 'Pod') {
      check(item, 'Pod', podTotals(pod, 'requests'), podTotals(pod, 'limits'));
    }
  }
  return errs;
}

/** Every broken constraint of `lr` for a claim's storage requests (upstream PersistentVolumeClaimValidateLimitFunc). */
export function validateClaim(lr: LimitRange, claim: KubeObject): string[] {
  const req = ((claim as { spec?: { resources?: { requests?: ResourceList } } }).spec?.resources?.requests) ?? {};
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const r of sortedKeys(item.min)) { const e = minConstraint('PersistentVolumeClaim', r, item.min![r], req, {}); if (e) errs.push(e); }
    for (const r of sortedKeys(item.max)) { const e = maxRequestConstraint('PersistentVolumeClaim', r, item.max![r], req); if (e) errs.push(e); }
  }
  return errs;
}

/** utilerrors.Aggregate's text: one error alone, several as `[a, b]` (duplicates once). */
const aggregate = (errs: string[]): string => {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
};

const applies = (a: AdmissionAttributes): 'pods' | 'persistentvolumeclaims' | undefined => {
  if (a.subresource || a.resource.group !== '' || (a.operation !== 'CREATE' && a.operation !== 'UPDATE')) return undefined;
  if (a.oldObject?.metadata.deletionTimestamp) return undefined;
  if (a.resource.plural === 'pods') return a.operation === 'CREATE' ? 'pods' : undefined;
  return a.resource.plural === 'persistentvolumeclaims' ? 'persistentvolumeclaims' : undefined;
};

/** `limitRanges(namespace)` gives the namespace's stored LimitRanges. */
export const limitRanger = (limitRanges: (namespace: string) => Promise<LimitRange[]>): AdmissionPlugin => ({
  name: 'LimitRanger',
  async admit(a) {
    if (applies(a) !== 'pods' || !a.object) return;
    for (const lr of await limitRanges(a.namespace)) mutatePod(lr, a.object as Pod);
  },
  async validate(a) {
    const kind = applies(a);
    if (!kind || !a.object) return;
    for (const lr of await limitRanges(a.namespace)) {
      const errs = kind === 'pods' ? validatePod(lr, a.object as Pod) : validateClaim(lr, a.object);
      if (errs.length) {
        const name = a.name || a.object.metadata.name || a.object.metadata.generateName || '';
        throw forbidden(`${kind} "${name}" is forbidden: ${aggregate(errs)}`, { group: '', resource: kind, name });
      }
    }
  },
});
