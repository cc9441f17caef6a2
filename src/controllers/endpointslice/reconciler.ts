/**
 * The EndpointSlice reconciler's pure planning (upstream pkg/controller/endpointslice
 * reconciler.go Reconcile / reconcileByPortMapping / finalize): given a Service, its
 * pods and the slices this controller already has for it, which slices to create,
 * update and delete — reusing and filling existing slices rather than recreating.
 */
import type { OwnerReference } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node, Service } from '../../api/core/v1/types.js';
import type { EndpointSlice } from '../../api/discovery/v1/endpoint-slice.js';
import { HEADLESS_LABEL, TRIGGER_TIME_ANNOTATION } from '../util/endpoints-util.js';
import { formatTriggerTime } from '../util/trigger-time.js';
import { type AddressType, type SliceEndpoint, type SlicePort, addressTypesForService, desiredPortGroups, endpointKey, endpointsEqualBeyondKey, portsKey } from './endpoints.js';

/** Label naming the slice's service (discovery.LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Label naming the slice's manager (discovery.LabelManagedBy). */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** This controller's managed-by value. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Default most endpoints per slice (kube-controller-manager --max-endpoints-per-slice). */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

/** The plan: slices to POST (generateName set), to PUT, to DELETE; `missingNodes` makes the caller retry. */
export interface SlicePlan { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[]; missingNodes: string[] }

/** Whether the slice has a controller reference to this very Service (uid). */
export const ownedBy = (s: EndpointSlice, svc: Service): boolean =>
  (s.metadata.ownerReferences ?? []).some((r: OwnerReference) => r.controller && r.kind === 'Service' && r.uid === svc.metadata.uid);

/**
 * Upstream setEndpointSliceLabels: the service's labels minus the reserved ones, the
 * headless label when clusterIP is None, then service-name and managed-by.
 */
export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL) labels[k] = v;
  if (svc.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = ''; else delete labels[HEADLESS_LABEL];
  labels[SERVICE_NAME_LABEL] = svc.metadata.name!;
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b).sort());

/** Upstream newEndpointSlice: generateName `<svc>-`, controller ownerRef to the Service, labels, no endpoints. */
export function newSlice(svc: Service, ports: SlicePort[], addressType: AddressType): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`, namespace: svc.metadata.namespace, labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType, endpoints: [], ports,
  };
}

/** Upstream addTriggerTimeAnnotation: sets the trigger time, or clears it when there is none. */
export function withTriggerTime(s: EndpointSlice, t: number | undefined): EndpointSlice {
  const annotations = { ...(s.metadata.annotations ?? {}) };
  if (t !== undefined) annotations[TRIGGER_TIME_ANNOTATION] = formatTriggerTime(t); else delete annotations[TRIGGER_TIME_ANNOTATION];
  return { ...s, metadata: { ...s.metadata, annotations } };
}

/**
 * Plans all slices of `svc`: slices of address types the service no longer supports
 * are deleted; per supported type see {@link planAddressType}.
 */
export function planSlices(svc: Service, pods: Pod[], existing: EndpointSlice[], nodeOf: (name: string) => Node | undefined, maxPerSlice = DEFAULT_MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const types = addressTypesForService(svc);
  const plan: SlicePlan = { create: [], update: [], delete: [], missingNodes: [] };
  for (const s of existing) if (!types.includes(s.addressType)) plan.delete.push(s);
  for (const t of types) {
    const p = planAddressType(svc, pods, existing.filter((s) => s.addressType === t), nodeOf, t, maxPerSlice);
    plan.create.push(...p.create); plan.update.push(...p.update); plan.delete.push(...p.delete); plan.missingNodes.push(...p.missingNodes);
  }
  return plan;
}

/**
 * One address type (upstream reconcileByAddressType + finalize): slices not owned by
 * this Service (uid) are deleted; per desired port set, existing slices keep their
 * still-desired endpoints (updated in place), emptied ones are deleted, leftovers fill
 * updated slices (fullest first), then the unchanged slice they fit best, then new
 * slices of at most `maxPerSlice`; slices of port sets no longer desired are deleted;
 * with nothing left a placeholder slice (no ports, no endpoints) is kept or created;
 * finally creates are turned into updates of slices that would be deleted.
 */
export function planAddressType(svc: Service, pods: Pod[], existing: EndpointSlice[], nodeOf: (name: string) => Node | undefined, addressType: AddressType, maxPerSlice: number): SlicePlan {
  const { groups, missingNodes } = desiredPortGroups(svc, pods, nodeOf, addressType);
  const toDelete: EndpointSlice[] = [];
  const byPorts = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    if (!ownedBy(s, svc)) { toDelete.push(s); continue; }
    const k = portsKey(s.ports);
    byPorts.set(k, [...(byPorts.get(k) ?? []), s]);
  }
  let toCreate: EndpointSlice[] = [];
  const toUpdate: EndpointSlice[] = [];
  for (const [k, g] of groups) {
    const r = planPortGroup(svc, byPorts.get(k) ?? [], g.endpoints, g.ports, addressType, maxPerSlice);
    toCreate.push(...r.create); toUpdate.push(...r.update); toDelete.push(...r.delete);
  }
  for (const [k, slices] of byPorts) if (!groups.has(k)) toDelete.push(...slices);
  if (existing.length === toDelete.length && toCreate.length === 0) {
    const placeholder = newSlice(svc, [], addressType);
    const isPlaceholder = (s: EndpointSlice) => ownedBy(s, svc) && !(s.endpoints ?? []).length && !(s.ports ?? []).length && sameLabels(s.metadata.labels, placeholder.metadata.labels!);
    if (toDelete.length === 1 && isPlaceholder(toDelete[0])) toDelete.length = 0;
    else toCreate.push(placeholder);
  }
  // finalize: reuse a slice about to be deleted instead of creating one.
  const deletes = [...toDelete];
  for (let i = 0; i < deletes.length && toCreate.length;) {
    const old = deletes[i];
    const fresh = toCreate[toCreate.length - 1];
    if (old.addressType === fresh.addressType && ownedBy(old, svc)) {
      toCreate = toCreate.slice(0, -1);
      toUpdate.push({ ...fresh, metadata: { ...fresh.metadata, name: old.metadata.name, generateName: undefined, resourceVersion: old.metadata.resourceVersion } });
      deletes.splice(i, 1);
    } else i++;
  }
  return { create: toCreate, update: toUpdate, delete: deletes, missingNodes };
}

/** Upstream reconcileByPortMapping for one port set; `desired` is consumed. */
function planPortGroup(svc: Service, existing: EndpointSlice[], desired: Map<string, SliceEndpoint>, ports: SlicePort[], addressType: AddressType, max: number): { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[] } {
  const labels = sliceLabels(svc);
  const byName = new Map<string, EndpointSlice>();
  const unchanged = new Set<string>(); const toUpdate = new Set<string>(); const toDelete = new Set<string>();
  // 1. keep still-desired endpoints in their slices, refreshing changed ones.
  for (const s of existing) {
    const name = s.metadata.name!;
    byName.set(name, s);
    const kept: SliceEndpoint[] = [];
    let changed = false;
    for (const e of (s.endpoints ?? []) as SliceEndpoint[]) {
      const k = endpointKey(e);
      const want = desired.get(k);
      if (!want) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, e)) changed = true;
      desired.delete(k);
    }
    const labelsChanged = !sameLabels(s.metadata.labels, labels);
    if (changed || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.add(name);
      else { byName.set(name, { ...s, metadata: { ...s.metadata, labels }, endpoints: kept }); toUpdate.add(name); }
    } else if (labelsChanged) { byName.set(name, { ...s, metadata: { ...s.metadata, labels }, endpoints: [...(s.endpoints ?? [])] }); toUpdate.add(name); }
    else unchanged.add(name);
  }
  const left = [...desired.values()];
  // 2. fill slices being updated anyway, fullest first.
  if (left.length && toUpdate.size) {
    const slices = [...toUpdate].map((n) => byName.get(n)!).sort((a, b) => b.endpoints.length - a.endpoints.length);
    for (const s of slices) while (left.length && s.endpoints.length < max) s.endpoints.push(left.shift()!);
  }
  // 3. the best-fitting unchanged slice, else new slices.
  const create: EndpointSlice[] = [];
  while (left.length) {
    let fill: EndpointSlice | undefined;
    if (left.length < max && unchanged.size) {
      let best = max;
      for (const n of unchanged) {
        const s = byName.get(n)!;
        const diff = max - (left.length + (s.endpoints ?? []).length);
        if (diff >= 0 && diff < best) { best = diff; fill = s; if (diff === 0) break; }
      }
    }
    if (fill) { fill = { ...fill, endpoints: [...(fill.endpoints ?? [])] }; byName.set(fill.metadata.name!, fill); }
    else fill = newSlice(svc, ports, addressType);
    while (left.length && fill.endpoints.length < max) fill.endpoints.push(left.shift()!);
    if (fill.metadata.name) { toUpdate.add(fill.metadata.name); unchanged.delete(fill.metadata.name); } else create.push(fill);
  }
  return { create, update: [...toUpdate].map((n) => byName.get(n)!), delete: [...toDelete].map((n) => byName.get(n)!) };
}
