/**
 * PodTopologySpread's cluster-level default constraints (upstream
 * pkg/scheduler/apis/config PodTopologySpreadArgs with its v1 defaulting and
 * validation/validation_pluginargs.go ValidatePodTopologySpreadArgs; plugins/helper/spread.go
 * DefaultSelector and GetPodServices).
 *
 * `defaultingType` (default `System`): `System` uses upstream's built-in constraints —
 * maxSkew 3 on kubernetes.io/hostname and maxSkew 5 on topology.kubernetes.io/zone, both
 * ScheduleAnyway — and must come without `defaultConstraints`; `List` uses
 * `defaultConstraints` (none: no defaulting). Default constraints carry no labelSelector:
 * each pod's is deduced from the Services selecting it and the ReplicationController,
 * ReplicaSet or StatefulSet controlling it.
 */
import type { Pod } from '../../../api/core/v1/pod-types.js';
import type { KubeObject } from '../../../api/object.js';
import { selectorFromLabelSelector, type LabelSelectorLike } from '../../../machinery/labels.js';
import { isQualifiedName } from '../../../machinery/validation.js';
import type { ObjectLister } from '../../framework/interface.js';

/** A v1.TopologySpreadConstraint as the pod spec or the plugin args carry it. */
export interface RawConstraint {
  maxSkew?: number; topologyKey?: string; whenUnsatisfiable?: string; labelSelector?: LabelSelectorLike | null;
  minDomains?: number; nodeAffinityPolicy?: string; nodeTaintsPolicy?: string; matchLabelKeys?: string[];
}

/** The checked PodTopologySpreadArgs: the constraints pods without their own get, and whether they are the system's. */
export interface SpreadDefaults { constraints: RawConstraint[]; systemDefaulted: boolean }

/** Upstream systemDefaultConstraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly RawConstraint[] = Object.freeze([
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
]);

const q = (v: unknown): string => JSON.stringify(v);

/**
 * Reads PodTopologySpreadArgs (`defaultingType`, `defaultConstraints`); absent args give
 * the System defaults. Throws Error naming the field (upstream's wording) for the first
 * bad value.
 */
export function spreadDefaultsOf(args: unknown): SpreadDefaults {
  const a = (args ?? {}) as { defaultingType?: string; defaultConstraints?: RawConstraint[] | null };
  const type = a.defaultingType || 'System';
  const list = a.defaultConstraints ?? [];
  if (type !== 'System' && type !== 'List') throw new Error(`defaultingType: Unsupported value: ${q(type)}: supported values: "System", "List"`);
  if (!Array.isArray(list)) throw new Error(`defaultConstraints: Invalid value: ${q(list)}: must be a list`);
  if (type === 'System' && list.length) throw new Error(`defaultingType: Invalid value: ${q(type)}: when .defaultConstraints are not empty`);
  list.forEach((c, i) => {
    const p = `defaultConstraints[${i}]`;
    if (typeof c.maxSkew !== 'number' || !(c.maxSkew > 0)) throw new Error(`${p}.maxSkew: Invalid value: ${c.maxSkew ?? 0}: not in valid range (0, inf)`);
    if (!c.topologyKey) throw new Error(`${p}.topologyKey: Required value: can not be empty`);
    const keyErrs = isQualifiedName(c.topologyKey);
    if (keyErrs.length) throw new Error(`${p}.topologyKey: Invalid value: ${q(c.topologyKey)}: ${keyErrs.join(', ')}`);
    if (!c.whenUnsatisfiable) throw new Error(`${p}.whenUnsatisfiable: Required value: can not be empty`);
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') throw new Error(`${p}.whenUnsatisfiable: Unsupported value: ${q(c.whenUnsatisfiable)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
    if (c.labelSelector !== undefined && c.labelSelector !== null) throw new Error(`${p}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
    if (list.slice(0, i).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) throw new Error(`defaultConstraints[${i}]: Duplicate value: "{${c.topologyKey}, ${c.whenUnsatisfiable}}"`);
  });
  return type === 'System' ? { constraints: [...SYSTEM_DEFAULT_CONSTRAINTS], systemDefaulted: true } : { constraints: list, systemDefaulted: false };
}

/** The Services of the pod's namespace whose (non-nil) selector matches the pod (upstream GetPodServices). */
export function podServices(pod: Pod, list: ObjectLister): KubeObject[] {
  return list('services', pod.metadata.namespace ?? '').filter((s) => {
    const sel = (s.spec as { selector?: Record<string, string> | null } | undefined)?.selector;
    if (!sel) return false; // a nil selector selects nothing
    return Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v);
  });
}

/** Which lister holds the controller of `apiVersion`/`kind`, among the kinds upstream deduces selectors from. */
function controllerResource(apiVersion: string | undefined, kind: string): 'replicationcontrollers' | 'replicasets' | 'statefulsets' | undefined {
  if (apiVersion === 'v1' && kind === 'ReplicationController') return 'replicationcontrollers';
  if (apiVersion === 'apps/v1' && kind === 'ReplicaSet') return 'replicasets';
  if (apiVersion === 'apps/v1' && kind === 'StatefulSet') return 'statefulsets';
  return undefined;
}

/**
 * The selector defaulted constraints use for `pod` (upstream helper.DefaultSelector): the
 * selectors of the Services selecting it merged, plus its controlling
 * ReplicationController's selector map or ReplicaSet's/StatefulSet's label selector
 * (the controller looked up by name in the pod's namespace). Undefined when that
 * comes to no requirement at all — then no default constraints apply.
 */
export function defaultSelector(pod: Pod, list: ObjectLister): LabelSelectorLike | undefined {
  let matchLabels: Record<string, string> = {};
  for (const s of podServices(pod, list)) matchLabels = { ...matchLabels, ...(s.spec as { selector: Record<string, string> }).selector };
  const matchExpressions: NonNullable<LabelSelectorLike['matchExpressions']> = [];
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller);
  const resource = owner && controllerResource(owner.apiVersion, owner.kind);
  const ctrl = resource && list(resource, pod.metadata.namespace ?? '').find((o) => o.metadata.name === owner!.name);
  if (ctrl && resource === 'replicationcontrollers') {
    matchLabels = { ...matchLabels, ...((ctrl.spec as { selector?: Record<string, string> } | undefined)?.selector ?? {}) };
  } else if (ctrl) {
    const sel = (ctrl.spec as { selector?: LabelSelectorLike | null } | undefined)?.selector;
    let valid = true;
    try { selectorFromLabelSelector(sel); } catch { valid = false; } // an unparsable selector adds nothing
    if (sel && valid) {
      for (const [key, value] of Object.entries(sel.matchLabels ?? {})) matchExpressions.push({ key, operator: 'In', values: [value] });
      matchExpressions.push(...(sel.matchExpressions ?? []));
    }
  }
  if (!Object.keys(matchLabels).length && !matchExpressions.length) return undefined;
  return { matchLabels, matchExpressions };
}
