/**
 * Pure helpers about daemon pods (upstream pkg/controller/daemon/util/daemonset_util.go
 * and the predicates of daemon_controller.go): the tolerations every daemon pod gets,
 * the node-name affinity that pins a pod to its node, which node a pod targets, whether
 * a node should run (or keep running) the daemon pod, the pod object to create, and
 * whether a pod belongs to the current revision.
 */
import type { Pod, PodTemplateSpec, Toleration } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { OwnerReference } from '../../api/object.js';
import { podMatchesNode, type SelectorRequirement, type SelectorTerm } from '../../scheduler/plugins/node-affinity/node-affinity.js';
import { tolerates } from '../../scheduler/plugins/taint-toleration/taint-toleration.js';
import type { DaemonSet } from '../../api/apps/v1/daemon-set.js';

/** Pod label carrying the daemon set revision hash (upstream apps.DefaultDaemonSetUniqueLabelKey). */
export const DAEMONSET_REVISION_HASH_LABEL = 'controller-revision-hash';
/** Pod label with the deprecated template generation (upstream extensions.DaemonSetTemplateGenerationKey). */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** DaemonSet annotation holding the template generation (upstream apps.DeprecatedTemplateGeneration). */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/**
 * The tolerations upstream AddOrUpdateDaemonPodTolerations adds to every daemon pod:
 * not-ready and unreachable NoExecute (no tolerationSeconds: the pod is never evicted),
 * disk/memory/pid pressure and unschedulable NoSchedule, and network-unavailable
 * NoSchedule when the pod uses the host network.
 */
export function daemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const t = (key: string, effect: string): Toleration => ({ key: `node.kubernetes.io/${key}`, operator: 'Exists', effect });
  const out = [
    t('not-ready', 'NoExecute'), t('unreachable', 'NoExecute'),
    t('disk-pressure', 'NoSchedule'), t('memory-pressure', 'NoSchedule'), t('pid-pressure', 'NoSchedule'), t('unschedulable', 'NoSchedule'),
  ];
  if (hostNetwork) out.push(t('network-unavailable', 'NoSchedule'));
  return out;
}

/**
 * Upstream AddOrUpdateTolerationInPodSpec for each daemon toleration: an existing
 * toleration with the same key, operator, value and effect is replaced (so a
 * tolerationSeconds on it is dropped), otherwise the toleration is appended. New array.
 */
export function withDaemonPodTolerations(tolerations: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(tolerations ?? [])];
  const same = (a: Toleration, b: Toleration) => (a.key ?? '') === (b.key ?? '') && (a.operator ?? 'Equal') === (b.operator ?? 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
  for (const want of daemonPodTolerations(hostNetwork)) {
    const i = out.findIndex((t) => same(t, want));
    if (i >= 0) out[i] = want; else out.push(want);
  }
  return out;
}

/**
 * Upstream ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity
 * becomes the single term `matchFields metadata.name In [nodeName]` (the node was
 * already checked against the original terms); preferred terms and pod (anti)affinity
 * are kept. Returns a new affinity object.
 */
export function replaceNodeNameAffinity(affinity: Record<string, any> | undefined, nodeName: string): Record<string, any> {
  const term: SelectorTerm = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const a = structuredClone(affinity ?? {});
  a.nodeAffinity ??= {};
  a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { ...a.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, nodeSelectorTerms: [term] };
  return a;
}

/**
 * Upstream GetTargetNodeName: `spec.nodeName` when bound, else the single value of the
 * `metadata.name In` matchFields requirement the controller set; undefined when neither.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as SelectorTerm[];
  for (const t of terms) {
    const r = (t.matchFields ?? []).find((f: SelectorRequirement) => f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1);
    if (r) return r.values![0];
  }
  return undefined;
}

/** The template as a pod for predicate checks (upstream NewPod): template spec with daemon tolerations, nodeName set. */
function predicatePod(ds: DaemonSet, nodeName: string): Pod {
  const spec = structuredClone(ds.spec?.template?.spec ?? {});
  spec.tolerations = withDaemonPodTolerations(spec.tolerations, !!spec.hostNetwork);
  spec.nodeName = nodeName;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...ds.spec?.template?.metadata, namespace: ds.metadata.namespace }, spec } as Pod;
}

/** Whether a node should run a daemon pod (`shouldRun`) and whether an existing one may stay (`shouldContinueRunning`). */
export interface NodeDecision { shouldRun: boolean; shouldContinueRunning: boolean }

/**
 * Upstream NodeShouldRunDaemonPod: a template pinned to another node by `nodeName`, or a
 * nodeSelector / required node affinity mismatch → neither. An untolerated NoSchedule
 * or NoExecute taint → not run; an existing pod continues unless the untolerated taint
 * is NoExecute. Otherwise both. The daemon tolerations count as the pod's.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeDecision {
  const nodeName = node.metadata.name ?? '';
  const templateNode = ds.spec?.template?.spec?.nodeName;
  if (templateNode && templateNode !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const pod = predicatePod(ds, nodeName);
  if (!podMatchesNode(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tols = pod.spec?.tolerations ?? [];
  const untolerated = (node.spec?.taints ?? []).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tols.some((x) => tolerates(x, t)));
  if (untolerated.length === 0) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };
}

/** The template generation from the DaemonSet annotation, when present (upstream GetTemplateGeneration). */
export function templateGeneration(ds: DaemonSet): string | undefined {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

/**
 * The daemon pod to create on `nodeName` (upstream CreatePodTemplate + the node-name
 * affinity set in syncNodes): generateName `<ds>-`, the template's labels plus
 * `controller-revision-hash: hash` (and `pod-template-generation` when the DaemonSet has
 * the deprecated annotation), the daemon tolerations, and the pinning node affinity.
 */
export function newDaemonPod(ds: DaemonSet, template: PodTemplateSpec, nodeName: string, hash: string, ref: OwnerReference): Pod {
  const t = structuredClone(template);
  const spec = (t.spec ?? {}) as NonNullable<Pod['spec']>;
  spec.tolerations = withDaemonPodTolerations(spec.tolerations, !!spec.hostNetwork);
  spec.affinity = replaceNodeNameAffinity(spec.affinity, nodeName) as typeof spec.affinity;
  const labels: Record<string, string> = { ...t.metadata?.labels, [DAEMONSET_REVISION_HASH_LABEL]: hash };
  const gen = templateGeneration(ds);
  if (gen !== undefined) labels[POD_TEMPLATE_GENERATION_LABEL] = gen;
  const metadata: Pod['metadata'] = { generateName: `${ds.metadata.name}-`, namespace: ds.metadata.namespace, labels, ownerReferences: [ref] };
  if (t.metadata?.annotations) metadata.annotations = t.metadata.annotations;
  if (t.metadata?.finalizers) metadata.finalizers = t.metadata.finalizers;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec } as Pod;
}

/**
 * Upstream IsPodUpdated: the pod carries the current revision hash, or the template
 * generation label equal to the DaemonSet's deprecated template generation.
 */
export function isPodUpdated(pod: Pod, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (hash !== '' && labels[DAEMONSET_REVISION_HASH_LABEL] === hash) || (generation !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === generation);
}

/**
 * Upstream podByCreationTimestampAndPhase: bound pods first, then oldest first, then by
 * name. Returns a new array.
 */
export function sortByCreationAndPhase(pods: Pod[]): Pod[] {
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return [...pods].sort((a, b) => (b.spec?.nodeName ? 1 : 0) - (a.spec?.nodeName ? 1 : 0)
    || created(a) - created(b)
    || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0));
}

/**
 * Upstream findUpdatedPodsOnNode: among a node's pods not being deleted, at most one of
 * the current revision (`newPod`) and one older (`oldPod`); `ok` false when there are
 * more (the manage pass cleans the node up first).
 */
export function findUpdatedPodsOnNode(pods: Pod[], hash: string, generation: string | undefined): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined; let oldPod: Pod | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) { if (newPod) return { ok: false }; newPod = p; } else { if (oldPod) return { ok: false }; oldPod = p; }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * Per-key exponential back-off (upstream flowcontrol.Backoff as the daemon controller's
 * failedPodsBackoff: 1 s initial, doubling, 15 min max; an entry idle for twice the max
 * starts over). Times are milliseconds from the injected clock.
 */
export class FailedPodBackoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();
  constructor(private readonly initialMs = 1000, private readonly maxMs = 15 * 60_000) {}
  /** True while `now` is within the back-off of the key's last failure. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return !!e && now - e.lastUpdate < e.backoff;
  }
  /** Milliseconds until the key's back-off ends (0 when not backing off). */
  remaining(key: string, now: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.lastUpdate + e.backoff - now) : 0;
  }
  /** Records a failure at `now`: back-off doubles (capped), or starts at the initial delay. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || now - e.lastUpdate > 2 * this.maxMs) this.entries.set(key, { backoff: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { backoff: Math.min(e.backoff * 2, this.maxMs), lastUpdate: now });
  }
}
