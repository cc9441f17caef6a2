/**
 * Which checks a level runs, in upstream's order (pod-security-admission
 * policy/registry.go with the default checks registered in file-name order): the
 * baseline checks no restricted check overrides, then either the overridden baseline
 * checks (baseline) or the restricted checks (restricted). Privileged runs none.
 */
import { appArmor, capabilitiesBaseline, hostNamespaces, hostPathVolumes, hostPorts, hostProcess, privileged, procMount, seccompBaseline, seLinuxOptions, sysctls, type PodCheck } from './baseline.js';
import { allowPrivilegeEscalation, capabilitiesRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seccompRestricted } from './restricted.js';
import { aggregate, type AggregateResult } from './result.js';
import type { Level } from './policy.js';
import type { PodMetaLike, PodSpecLike } from './types.js';

/** Baseline checks that hold at both levels. */
const BASELINE_ONLY: readonly PodCheck[] = [appArmor, hostNamespaces, hostPorts, privileged, procMount, seLinuxOptions, sysctls, hostProcess];
/** Baseline checks a stricter restricted check replaces. */
const BASELINE_OVERRIDDEN: readonly PodCheck[] = [capabilitiesBaseline, hostPathVolumes, seccompBaseline];
const RESTRICTED: readonly PodCheck[] = [allowPrivilegeEscalation, capabilitiesRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seccompRestricted];

/** The checks of a level, in order. */
export function checksFor(level: Level): readonly PodCheck[] {
  if (level === 'privileged') return [];
  return level === 'baseline' ? [...BASELINE_ONLY, ...BASELINE_OVERRIDDEN] : [...BASELINE_ONLY, ...RESTRICTED];
}

/** Evaluates a pod (template) against a level (every version is evaluated as latest). */
export function evaluatePod(level: Level, meta: PodMetaLike, spec: PodSpecLike): AggregateResult {
  return aggregate(checksFor(level).map((check) => check(meta, spec)));
}
