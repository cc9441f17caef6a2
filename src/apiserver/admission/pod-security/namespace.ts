/**
 * Namespace writes under PodSecurity (upstream pod-security-admission
 * admission/admission.go ValidateNamespace, EvaluatePodsInNamespace): invalid policy
 * labels are refused (422) on create, and on update when they changed; an update that
 * tightens the enforce level dry-runs the existing pods and returns warnings naming
 * those that would be refused.
 */
import type { KubeObject } from '../../../api/object.js';
import { invalid } from '../../../machinery/errors.js';
import { evaluatePod } from './evaluator.js';
import { compareLevels, levelVersionString, policyToEvaluate, sameLevelVersion, type LevelVersion } from './policy.js';
import { forbiddenReason } from './result.js';
import type { PodMetaLike, PodSpecLike } from './types.js';

/** At most this many existing pods are checked (upstream's default namespaceMaxPodsToCheck). */
export const MAX_PODS_TO_CHECK = 3000;

const labelsOf = (o: KubeObject | undefined): Record<string, string> | undefined => o?.metadata.labels as Record<string, string> | undefined;

/**
 * Validates a namespace CREATE or UPDATE. Returns warnings (possibly none) about
 * existing pods; throws a 422 StatusError for invalid labels. `listPods(ns)` gives the
 * namespace's stored pods.
 */
export async function validateNamespace(operation: string, name: string, obj: KubeObject, old: KubeObject | undefined, listPods: (namespace: string) => Promise<KubeObject[]>): Promise<string[]> {
  const next = policyToEvaluate(labelsOf(obj));
  if (operation === 'CREATE') {
    if (next.errors.length) throw invalid('', 'Namespace', name, next.errors);
    return [];
  }
  if (operation !== 'UPDATE' || !old) return [];
  const prev = policyToEvaluate(labelsOf(old));
  if (next.errors.length && (!prev.errors.length || JSON.stringify(next.errors) !== JSON.stringify(prev.errors))) throw invalid('', 'Namespace', name, next.errors);
  const [n, o] = [next.policy.enforce, prev.policy.enforce];
  if (sameLevelVersion(n, o) || n.level === 'privileged') return [];
  if (n.version === o.version && compareLevels(n.level, o.level) < 1) return [];
  return evaluatePodsInNamespace(obj.metadata.name ?? name, n, await listPods(obj.metadata.name ?? name));
}

/**
 * Warnings for the pods that would violate `enforce`: a header line, then one line per
 * distinct set of reasons naming the lexically first pod and how many others share it,
 * sorted.
 */
export function evaluatePodsInNamespace(namespace: string, enforce: LevelVersion, pods: KubeObject[]): string[] {
  const warnings: string[] = [];
  const byWarning = new Map<string, { name: string; count: number }>();
  const checked = pods.slice(0, MAX_PODS_TO_CHECK);
  for (const pod of checked) {
    const r = evaluatePod(enforce.level, pod.metadata as PodMetaLike, ((pod as { spec?: PodSpecLike }).spec ?? {}));
    if (r.allowed) continue;
    const w = forbiddenReason(r);
    const podName = pod.metadata.name ?? '';
    const c = byWarning.get(w);
    if (!c) byWarning.set(w, { name: podName, count: 1 });
    else { c.count++; if (podName < c.name) c.name = podName; }
  }
  if (checked.length < pods.length) warnings.push(`new PodSecurity enforce level only checked against the first ${checked.length} of ${pods.length} existing pods`);
  if (byWarning.size) warnings.push(`existing pods in namespace ${JSON.stringify(namespace)} violate the new PodSecurity enforce level ${JSON.stringify(levelVersionString(enforce))}`);
  const lines = [...byWarning].map(([w, c]) => {
    if (c.count === 1) return `${c.name}: ${w}`;
    if (c.count === 2) return `${c.name} (and 1 other pod): ${w}`;
    return `${c.name} (and ${c.count - 1} other pods): ${w}`;
  });
  return [...warnings, ...lines.sort()];
}
