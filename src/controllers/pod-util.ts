/**
 * Pod helpers shared by workload controllers (upstream pkg/controller/controller_utils.go
 * and pkg/api/v1/pod): activeness, readiness, availability, deletion ranking, and
 * pods made from a template with a controller reference.
 */
import type { KubeObject, OwnerReference } from '../api/object.js';
import type { Pod, PodTemplateSpec } from '../api/core/v1/pod-types.js';

/** Not terminal and not being deleted. */
export const isPodActive = (p: Pod): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata.deletionTimestamp;

const readyCondition = (p: Pod) => (p.status?.conditions ?? []).find((c) => c.type === 'Ready');
export const isPodReady = (p: Pod): boolean => readyCondition(p)?.status === 'True';

/** Ready for at least `minReadySeconds` at `now` (ms). */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const c = readyCondition(p);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
  return since + minReadySeconds * 1000 <= now;
}

/**
 * Sorts pods so the ones to delete first come first (upstream ActivePods ranking):
 * unassigned < assigned; Pending < Unknown < Running; not ready < ready; ready more
 * recently first; more restarts first; newer first.
 */
export function rankForDeletion(pods: Pod[]): Pod[] {
  const phaseRank = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 } as Record<string, number>)[p.status?.phase ?? 'Pending'] ?? 0;
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((a, c) => a + (c.restartCount ?? 0), 0);
  const readyAt = (p: Pod) => Date.parse(readyCondition(p)?.lastTransitionTime ?? '') || 0;
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return [...pods].sort((a, b) =>
    (a.spec?.nodeName ? 1 : 0) - (b.spec?.nodeName ? 1 : 0)
    || phaseRank(a) - phaseRank(b)
    || (isPodReady(a) ? 1 : 0) - (isPodReady(b) ? 1 : 0)
    || readyAt(b) - readyAt(a)
    || restarts(b) - restarts(a)
    || created(b) - created(a));
}

/** A controller owner reference to `owner`. */
export const ownerRefTo = (owner: KubeObject, apiVersion: string, kind: string): OwnerReference =>
  ({ apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true });

/** A Pod object from a template, owned by `ref`. */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, generateName: string, ref: OwnerReference): Pod {
  const t = structuredClone(template);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { generateName, namespace, labels: t.metadata?.labels, annotations: t.metadata?.annotations, finalizers: t.metadata?.finalizers, ownerReferences: [ref] },
    spec: t.spec,
  };
}
