/**
 * Job pod failure policy (upstream pkg/controller/job pod_failure_policy.go): the
 * first rule of `spec.podFailurePolicy.rules` that matches a Failed pod decides what
 * its failure means — FailJob, FailIndex, Ignore (not counted against backoffLimit)
 * or Count. Rules with an unknown action are skipped, as the API reference asks.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';

/** One `onExitCodes` requirement: operator In/NotIn over exit codes, optionally restricted to one container. */
export interface OnExitCodesRequirement { containerName?: string; operator: 'In' | 'NotIn'; values: number[] }
/** One `onPodConditions` pattern: a pod condition type and status (default "True"). */
export interface OnPodConditionsPattern { type: string; status?: string }
/** One rule of the policy. */
export interface PodFailurePolicyRule { action: string; onExitCodes?: OnExitCodesRequirement; onPodConditions?: OnPodConditionsPattern[] }
/** `spec.podFailurePolicy`. */
export interface PodFailurePolicy { rules?: PodFailurePolicyRule[] }

/** The action a matching rule asks for. */
export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
/** Result of a match: the action, the index of the rule and, for FailJob/FailIndex, upstream's condition message. */
export interface PodFailurePolicyMatch { action: PodFailurePolicyAction; ruleIndex: number; message: string }

const KNOWN_ACTIONS = new Set(['FailJob', 'FailIndex', 'Ignore', 'Count']);

/**
 * Matches a Failed pod against the policy; undefined when no rule matches (the
 * failure is then counted as usual). Exit codes are read from terminated app
 * containers, then init containers; exit code 0 never matches.
 */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch | undefined {
  const rules = policy?.rules ?? [];
  const podName = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!KNOWN_ACTIONS.has(rule.action)) continue;
    const action = rule.action as PodFailurePolicyAction;
    if (rule.onExitCodes) {
      const hit = matchExitCodes(rule.onExitCodes, pod);
      if (hit) return { action, ruleIndex: i, message: `Container ${hit.name} for pod ${podName} failed with exit code ${hit.exitCode} matching ${action} rule at index ${i}` };
    } else if (rule.onPodConditions) {
      const hit = matchPodConditions(rule.onPodConditions, pod);
      if (hit) return { action, ruleIndex: i, message: `Pod ${podName} has condition ${hit} matching ${action} rule at index ${i}` };
    }
  }
  return undefined;
}

function matchExitCodes(req: OnExitCodesRequirement, pod: Pod): { name: string; exitCode: number } | undefined {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  for (const cs of statuses) {
    if (req.containerName && cs.name !== req.containerName) continue;
    const exitCode = cs.state?.terminated?.exitCode;
    if (exitCode === undefined || exitCode === 0) continue;
    const listed = (req.values ?? []).includes(exitCode);
    if (req.operator === 'In' ? listed : req.operator === 'NotIn' ? !listed : false) return { name: cs.name ?? "", exitCode };
  }
  return undefined;
}

function matchPodConditions(patterns: OnPodConditionsPattern[], pod: Pod): string | undefined {
  for (const p of patterns) {
    const want = p.status ?? 'True';
    if ((pod.status?.conditions ?? []).some((c) => c.type === p.type && c.status === want)) return p.type;
  }
  return undefined;
}
