/**
 * PodSecurity admission (upstream plugin/pkg/admission/security/podsecurity and
 * k8s.io/pod-security-admission/admission): a validating plugin that reads a
 * namespace's `pod-security.kubernetes.io/<mode>[-version]` labels and evaluates pods
 * and pod templates against the Pod Security Standards.
 *
 * - pods (CREATE, UPDATE; every subresource except exec, attach, binding, eviction, log,
 *   portforward, proxy, status, resize — so ephemeralcontainers is checked): enforce
 *   refuses with 403 `pods "x" is forbidden: violates PodSecurity "L:V": ...`; warn adds
 *   `would violate PodSecurity "L:V": ...` to the request's warnings. Updates that change
 *   no image, container count, ephemeral container or seccomp annotation are skipped.
 * - workloads (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
 *   ReplicationController, PodTemplate; main resource only): warn only, never enforce.
 * - namespaces: invalid labels are a 422; tightening enforce warns about existing pods.
 * Audit mode (pods and templates) adds the audit annotation
 * `pod-security.kubernetes.io/audit-violations: would violate PodSecurity "L:V": ...`, and
 * every evaluated pod `pod-security.kubernetes.io/enforce-policy: L:V`, to the request's
 * audit events. No exemptions are configured (none of users, namespaces,
 * runtime classes), as upstream's default.
 */
import type { KubeObject } from '../../../api/object.js';
import { forbidden, StatusError } from '../../../machinery/errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { evaluatePod } from './evaluator.js';
import { validateNamespace } from './namespace.js';
import { levelVersionString, policyToEvaluate, sameLevelVersion, type Policy } from './policy.js';
import { forbiddenDetail, type AggregateResult } from './result.js';
import type { ContainerLike, PodMetaLike, PodSpecLike } from './types.js';
import { extractTemplate, isPodController } from './workloads.js';

/** What the plugin reads: a stored Namespace by name, and a namespace's stored pods. */
export interface PodSecurityLookups {
  namespace(name: string): Promise<KubeObject | undefined>;
  pods(namespace: string): Promise<KubeObject[]>;
}

/** Pod subresources that cannot change the pod spec, hence are not evaluated. */
export const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status', 'resize']);

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

type PodLike = KubeObject & { spec?: PodSpecLike };

/**
 * Whether a pod update can change what the checks see (upstream isSignificantPodUpdate):
 * the pod seccomp annotation, the number of containers or init containers, any image or
 * per-container seccomp annotation, or an added or changed ephemeral container.
 */
export function isSignificantPodUpdate(pod: PodLike, old: PodLike): boolean {
  const a = (pod.metadata.annotations ?? {}) as Record<string, string>;
  const oa = (old.metadata.annotations ?? {}) as Record<string, string>;
  if (a[SECCOMP_POD_ANNOTATION] !== oa[SECCOMP_POD_ANNOTATION]) return true;
  const s = pod.spec ?? {};
  const os = old.spec ?? {};
  const changed = (c: ContainerLike & { image?: string }, o: ContainerLike & { image?: string }) =>
    c.image !== o.image || a[SECCOMP_CONTAINER_PREFIX + c.name] !== oa[SECCOMP_CONTAINER_PREFIX + c.name];
  for (const key of ['containers', 'initContainers'] as const) {
    const cur = s[key] ?? [];
    const prev = os[key] ?? [];
    if (cur.length !== prev.length) return true;
    if (cur.some((c, i) => changed(c, prev[i]))) return true;
  }
  for (const c of s.ephemeralContainers ?? []) {
    const o = (os.ephemeralContainers ?? []).find((x) => x.name === c.name);
    if (!o || changed(c, o)) return true;
  }
  return false;
}

/**
 * Evaluates one pod (enforce=true) or template (enforce=false) under `policy`: throws
 * the 403 when enforce refuses, else returns the warning (or undefined).
 */
export function evaluate(policy: Policy, meta: PodMetaLike, spec: PodSpecLike, enforce: boolean, refusal: (msg: string) => StatusError): string | undefined {
  let enforced: AggregateResult | undefined;
  if (enforce) {
    enforced = evaluatePod(policy.enforce.level, meta, spec);
    if (!enforced.allowed) throw refusal(`violates PodSecurity ${JSON.stringify(levelVersionString(policy.enforce))}: ${forbiddenDetail(enforced)}`);
  }
  const warn = enforced && sameLevelVersion(policy.warn, policy.enforce) ? enforced : evaluatePod(policy.warn.level, meta, spec);
  return warn.allowed ? undefined : `would violate PodSecurity ${JSON.stringify(levelVersionString(policy.warn))}: ${forbiddenDetail(warn)}`;
}

/** Audit mode: the `audit-violations` annotation when the audit level refuses (nothing without auditing or at privileged). */
function auditViolations(a: AdmissionAttributes, policy: Policy, meta: PodMetaLike, spec: PodSpecLike): void {
  if (!a.auditAnnotate || policy.audit.level === 'privileged') return;
  const r = evaluatePod(policy.audit.level, meta, spec);
  if (!r.allowed) a.auditAnnotate('pod-security.kubernetes.io/audit-violations', `would violate PodSecurity ${JSON.stringify(levelVersionString(policy.audit))}: ${forbiddenDetail(r)}`);
}

/** The PodSecurity plugin over `lookups`. */
export const podSecurityAdmission = (lookups: PodSecurityLookups): AdmissionPlugin => ({
  name: 'PodSecurity',
  async validate(a: AdmissionAttributes) {
    if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object) return;
    const { group, plural } = a.resource;
    if (group === '' && plural === 'namespaces') {
      if (a.subresource) return;
      a.warnings?.push(...await validateNamespace(a.operation, a.name || a.object.metadata.name || '', a.object, a.oldObject, lookups.pods));
      return;
    }
    const isPod = group === '' && plural === 'pods';
    if (isPod ? IGNORED_POD_SUBRESOURCES.has(a.subresource) : !isPodController(group, plural) || a.subresource) return;
    const ns = await lookups.namespace(a.namespace);
    if (!ns) throw new StatusError({ code: 500, reason: 'InternalError', message: `failed to lookup namespace ${a.namespace}` });
    const { policy } = policyToEvaluate(ns.metadata.labels as Record<string, string> | undefined);
    if (isPod) {
      if (policy.enforce.level === 'privileged' && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
      const pod = a.object as PodLike;
      if (a.operation === 'UPDATE' && a.oldObject && !isSignificantPodUpdate(pod, a.oldObject as PodLike)) return;
      a.auditAnnotate?.('pod-security.kubernetes.io/enforce-policy', levelVersionString(policy.enforce));
      auditViolations(a, policy, pod.metadata as PodMetaLike, pod.spec ?? {});
      const w = evaluate(policy, pod.metadata as PodMetaLike, pod.spec ?? {}, true,
        (msg) => forbidden(`pods "${a.name || pod.metadata.name}" is forbidden: ${msg}`, { group: '', resource: 'pods', name: a.name || pod.metadata.name || '' }));
      if (w) a.warnings?.push(w);
      return;
    }
    if (policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return;
    const t = extractTemplate(group, plural, a.object);
    if (!t) return;
    auditViolations(a, policy, t.meta, t.spec);
    if (policy.warn.level === 'privileged') return;
    const w = evaluate(policy, t.meta, t.spec, false, () => new StatusError({ code: 500, reason: 'InternalError', message: 'unreachable' }));
    if (w) a.warnings?.push(w);
  },
});
