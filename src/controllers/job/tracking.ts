/**
 * Job tracking with finalizers (upstream pkg/controller/job tracking_utils.go and
 * job_controller.go, KEP-2307): every pod of a Job carries the
 * `batch.kubernetes.io/job-tracking` finalizer so it cannot disappear before it was
 * counted. A finished pod is first recorded by uid in
 * `status.uncountedTerminatedPods` (status write), then its finalizer is removed,
 * then its uid moves into `status.succeeded` / `status.failed` (second status write).
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Job } from '../../api/batch/v1/job.js';

/** The finalizer the Job controller puts on the pods it creates. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

/** The pod still carries the Job tracking finalizer. */
export const hasTrackingFinalizer = (p: Pod): boolean => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** Strategic merge patch removing the tracking finalizer (and only it), guarded by the pod's uid. */
export const removeTrackingFinalizerPatch = (p: Pod): Record<string, unknown> =>
  ({ metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER], uid: p.metadata.uid } });

/**
 * Whether a pod counts as failed for its Job (upstream isPodFailed): phase Failed;
 * or, unless the Job has a pod failure policy or replaces only Failed pods, being
 * deleted without having succeeded (an orphaned or evicted pod may never reach Failed).
 */
export function isPodConsideredFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (p.status?.phase === 'Succeeded') return false;
  if (job.spec?.podFailurePolicy || job.spec?.podReplacementPolicy === 'Failed') return false;
  return !!p.metadata.deletionTimestamp;
}

/** `status.uncountedTerminatedPods` as two sets of pod uids. */
export interface UncountedTerminatedPods { succeeded: Set<string>; failed: Set<string> }

/** Reads `status.uncountedTerminatedPods` (absent → empty). */
export const readUncounted = (job: Job): UncountedTerminatedPods => ({
  succeeded: new Set(job.status?.uncountedTerminatedPods?.succeeded ?? []),
  failed: new Set(job.status?.uncountedTerminatedPods?.failed ?? []),
});

/** The API shape of the sets: sorted uid lists, empty lists omitted (`{}` when nothing is pending). */
export function writeUncounted(u: UncountedTerminatedPods): { succeeded?: string[]; failed?: string[] } {
  const out: { succeeded?: string[]; failed?: string[] } = {};
  if (u.succeeded.size) out.succeeded = [...u.succeeded].sort();
  if (u.failed.size) out.failed = [...u.failed].sort();
  return out;
}
