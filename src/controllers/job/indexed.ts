/**
 * Indexed completion mode of Jobs (upstream pkg/controller/job indexed_job_utils.go):
 * the completion index a pod carries, the compressed interval form of index sets
 * used by `status.completedIndexes` / `failedIndexes` ("1,3-5"), and the per-index
 * decoration of a pod (annotation + label, hostname, `JOB_COMPLETION_INDEX`).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

/** Annotation (and, since 1.28, label) holding a pod's completion index. */
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** Env var each container of an Indexed Job's pod gets, read from the annotation via the downward API. */
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The pod's completion index from its annotation (label as fallback), or undefined when missing or not a decimal in [0, completions). */
export function completionIndexOf(pod: Pod, completions: number): number | undefined {
  const v = pod.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? pod.metadata.labels?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^(0|[1-9]\d*)$/.test(v)) return undefined;
  const i = Number(v);
  return i < completions ? i : undefined;
}

/** Formats a set of indexes as sorted comma-separated intervals: {1,3,4,5} → "1,3-5"; empty → "". */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Parses the interval form back into a set, keeping only indexes below `completions`; malformed parts are skipped. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]); const to = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return out;
}

/**
 * Decorates a pod made from an Indexed Job's template for `index` (in place): the
 * annotation and label, `spec.hostname` `<job>-<index>` unless the template set one,
 * and `JOB_COMPLETION_INDEX` (fieldRef to the annotation) on every init and app
 * container that does not define it already.
 */
export function setCompletionIndex(pod: Pod, jobName: string, index: number): Pod {
  pod.metadata.annotations = { ...pod.metadata.annotations, [COMPLETION_INDEX_ANNOTATION]: `${index}` };
  pod.metadata.labels = { ...pod.metadata.labels, [COMPLETION_INDEX_ANNOTATION]: `${index}` };
  const spec = pod.spec!;
  if (!spec.hostname) spec.hostname = `${jobName}-${index}`;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
    c.env = [...(c.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } }];
  }
  return pod;
}

/** Annotation with how many counted failures the index had before this pod (backoffLimitPerIndex). */
export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** Annotation with how many failures of the index the pod failure policy ignored before this pod. */
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

const countAnnotation = (p: Pod, name: string): number => {
  const v = Number(p.metadata.annotations?.[name] ?? '0');
  return Number.isInteger(v) && v >= 0 ? v : 0;
};

/**
 * The failure counts a replacement pod for an index carries (upstream
 * getNewIndexFailureCounts): those of the last failed pod of the index, plus that
 * pod's own failure — as ignored when the pod failure policy said Ignore. Without a
 * failed predecessor, both are 0.
 */
export function nextIndexFailureCounts(lastFailed: Pod | undefined, ignored: boolean): { failures: number; ignoredFailures: number } {
  if (!lastFailed) return { failures: 0, ignoredFailures: 0 };
  const failures = countAnnotation(lastFailed, INDEX_FAILURE_COUNT_ANNOTATION);
  const ignoredFailures = countAnnotation(lastFailed, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
  return ignored ? { failures, ignoredFailures: ignoredFailures + 1 } : { failures: failures + 1, ignoredFailures };
}

/** A counted failure of this pod exhausts its index's `backoffLimitPerIndex` (the failures before it plus this one exceed the limit). */
export const exceedsBackoffLimitPerIndex = (failedPod: Pod, backoffLimitPerIndex: number): boolean =>
  countAnnotation(failedPod, INDEX_FAILURE_COUNT_ANNOTATION) + 1 > backoffLimitPerIndex;
