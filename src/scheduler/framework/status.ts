/**
 * The result of a plugin call (upstream pkg/scheduler/framework/interface.go Status):
 * an expected rejection is a value, not an exception.
 * - Success: the plugin accepts.
 * - Error: an internal fault; the cycle aborts and the pod is retried with backoff.
 * - Unschedulable: rejected, but preemption might help (e.g. Insufficient cpu).
 * - UnschedulableAndUnresolvable: rejected, preemption cannot help (e.g. node selector).
 * - Wait: (Permit) hold the pod; unused by the built-in plugins.
 * - Skip: (PreFilter/PreScore) the plugin has nothing to check for this pod, so its
 *   Filter/Score is skipped; (Bind) the plugin does not bind this pod.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip';

export interface Status {
  code: Code;
  /** Human reasons, upstream's wording (they build the FailedScheduling message). */
  reasons: string[];
  /** The plugin that returned it (filled in by the framework). */
  plugin?: string;
  /** For Error: the underlying exception (e.g. the API's StatusError). */
  cause?: unknown;
}

const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: Object.freeze([]) as unknown as string[] });
/** The Success status (one shared frozen value: a filter runs per node per pod). */
export const success = (): Status => SUCCESS;
export const skip = (): Status => ({ code: 'Skip', reasons: [] });
/** Unschedulable (or UnschedulableAndUnresolvable when `unresolvable`) with the given reasons. */
export const unschedulable = (reason: string | string[], unresolvable = false): Status =>
  ({ code: unresolvable ? 'UnschedulableAndUnresolvable' : 'Unschedulable', reasons: Array.isArray(reason) ? reason : [reason] });
/** An Error status carrying `err` as its cause. */
export const asError = (err: unknown): Status => ({ code: 'Error', reasons: [err instanceof Error ? err.message : String(err)], cause: err });

export const isSuccess = (s: Status): boolean => s.code === 'Success';
/** Unschedulable or UnschedulableAndUnresolvable. */
export const isRejected = (s: Status): boolean => s.code === 'Unschedulable' || s.code === 'UnschedulableAndUnresolvable';
