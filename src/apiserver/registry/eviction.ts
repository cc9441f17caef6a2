/**
 * POST pods/{name}/eviction (upstream pkg/registry/core/pod/storage/eviction.go): deletes
 * the pod unless that would break a PodDisruptionBudget. A pod that is terminal, Pending
 * or already being deleted is removed without consulting budgets; otherwise the one
 * budget selecting it must allow a disruption (its status, kept by the disruption
 * controller, says how many), which this request then spends (`disruptionsAllowed` − 1,
 * the pod recorded in `disruptedPods`). Refusals are 429 TooManyRequests worded as
 * upstream; more than one matching budget is a 500 as upstream. A pod that is not Ready
 * is deleted without spending the budget when the budget's `unhealthyPodEvictionPolicy`
 * is AlwaysAllow, or (IfHealthyBudget, the default) when the budget is currently met
 * (currentHealthy >= desiredHealthy > 0); such a delete carries the pod's
 * resourceVersion as a precondition, as upstream (a conflict on it is a 429, so the
 * client retries). Before any real (not dry-run) delete the pod gets the condition
 * DisruptionTarget=True, reason EvictionByEvictionAPI, message "Eviction API: evicting"
 * (PodDisruptionConditions, GA in 1.31; upstream addConditionAndDeletePod).
 */
import type { KubeObject } from '../../api/object.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { badRequest, conflict, isConflict, notFound, StatusError } from '../../machinery/errors.js';
import { selectorFromLabelSelector } from '../../machinery/labels.js';
import { rfc3339 } from '../../machinery/time.js';
import type { LabelSelector } from '../../api/meta/v1/types.js';
import type { GenericStore } from './store.js';
import type { DeleteOptions, RequestContext, RestStorage } from './rest.js';

interface Eviction extends KubeObject { deleteOptions?: DeleteOptions }
interface Budget extends KubeObject {
  spec?: { selector?: LabelSelector; unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow' };
  status?: { observedGeneration?: number; disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string> };
}

const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
const tooManyRequests = (message: string, cause?: string): StatusError =>
  new StatusError({ code: 429, reason: 'TooManyRequests', message, ...(cause ? { details: { causes: [{ reason: 'DisruptionBudget', message: cause }] } } : {}) });

/** The condition an evicted pod gets before its delete (upstream conditionAppender). */
export const EVICTION_CONDITION = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' } as const;

type PodCondition = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastProbeTime?: string | null };

/**
 * `conditions` with `c` set (upstream podutil.UpdatePodCondition): appended when absent,
 * else replaced, keeping lastTransitionTime when the status is unchanged. Returns the
 * same array when nothing changes.
 */
export function withPodCondition(conditions: PodCondition[] | undefined, c: Omit<PodCondition, 'lastTransitionTime'>, now: string): PodCondition[] {
  const list = conditions ?? [];
  const i = list.findIndex((x) => x.type === c.type);
  if (i < 0) return [...list, { ...c, lastTransitionTime: now }];
  const old = list[i];
  if (old.status === c.status && old.reason === c.reason && old.message === c.message) return list;
  const next = [...list];
  next[i] = { ...c, lastTransitionTime: old.status === c.status ? old.lastTransitionTime : now };
  return next;
}

/**
 * Adds the DisruptionTarget condition to the latest stored pod (unless `dryRun`), then
 * deletes it with `opts` (upstream addConditionAndDeletePod). The delete's UID and
 * resourceVersion preconditions are checked against the latest pod first (409 Conflict);
 * a resourceVersion precondition is then moved to the version the condition write made.
 */
async function addConditionAndDelete(pods: GenericStore, ctx: RequestContext, name: string, opts: DeleteOptions, dryRun: boolean, clock: () => Date): Promise<void> {
  if (!dryRun) {
    const pre = opts.preconditions;
    const gr = { group: '', resource: 'Pod' };
    const { object } = await pods.guaranteedUpdate(ctx, name, (current) => {
      if (!current) throw notFound(pods.gr, name);
      const latest = current as Pod;
      if (pre?.uid && pre.uid !== latest.metadata.uid) throw conflict(gr, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${latest.metadata.uid}). The object might have been deleted and then recreated`);
      if (pre?.resourceVersion && pre.resourceVersion !== latest.metadata.resourceVersion) throw conflict(gr, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion}). The object might have been modified`);
      const conditions = withPodCondition(latest.status?.conditions as PodCondition[] | undefined, EVICTION_CONDITION, rfc3339(clock()));
      return { ...latest, status: { ...latest.status, conditions } } as KubeObject;
    }, { allowCreate: false, internal: true });
    if (pre?.resourceVersion) opts = { ...opts, preconditions: { ...pre, resourceVersion: object.metadata.resourceVersion } };
  }
  await pods.delete({ ...ctx, dryRun }, name, opts);
}

/** Whether a pod may go without a budget's consent (upstream canIgnorePDB). */
const canIgnoreBudget = (pod: Pod): boolean =>
  !!pod.metadata.deletionTimestamp || ['Succeeded', 'Failed', 'Pending'].includes(pod.status?.phase ?? 'Pending');

const isReady = (pod: Pod): boolean => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Whether a not-Ready pod may go without spending the budget (upstream unhealthyPodEvictionPolicy handling). */
const unhealthyMayGo = (pod: Pod, b: Budget): boolean => !isReady(pod)
  && (b.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((b.status?.currentHealthy ?? 0) >= (b.status?.desiredHealthy ?? 0) && (b.status?.desiredHealthy ?? 0) > 0));

/** The `pods/eviction` storage; `budgets` is the PodDisruptionBudget store when that kind is served. */
export function evictionStorage(pods: GenericStore, budgets: GenericStore | undefined, clock: () => Date = () => new Date()): RestStorage {
  return {
    info: pods.info, subresource: 'eviction', returnsKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, bodyMessage: 'k8s.io.api.policy.v1.Eviction',
    async create(ctx: RequestContext, obj: KubeObject, name?: string) {
      const ev = obj as Eviction;
      if (!name) throw badRequest('name is required for an eviction');
      if (ev.metadata?.name && ev.metadata.name !== name) throw badRequest(`name in URL does not match name in Eviction object`);
      const opts = ev.deleteOptions ?? {};
      const dryRun = ctx.dryRun || (opts.dryRun ?? []).includes('All');
      const pod = (await pods.get(ctx, name)) as Pod;
      if (budgets && !canIgnoreBudget(pod)) {
        const matching = ((await budgets.list(ctx, {})).items as Budget[])
          .filter((b) => b.spec?.selector && selectorFromLabelSelector(b.spec.selector).matches(pod.metadata.labels ?? {}));
        if (matching.length > 1) throw new StatusError({ code: 500, reason: 'InternalError', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' });
        if (matching.length === 1 && unhealthyMayGo(pod, matching[0])) {
          const preconditions = { ...opts.preconditions, resourceVersion: opts.preconditions?.resourceVersion ?? pod.metadata.resourceVersion };
          try {
            await addConditionAndDelete(pods, ctx, name, { ...opts, preconditions }, dryRun, clock);
          } catch (e) {
            // The pod changed (it may have become Ready) since it was judged: the client retries.
            if (isConflict(e) && !opts.preconditions?.resourceVersion) throw tooManyRequests(VIOLATION, `The disruption budget ${matching[0].metadata.name} is still being processed by the server.`);
            throw e;
          }
          return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
        }
        if (matching.length === 1) {
          const budget = matching[0];
          await budgets.guaranteedUpdate(ctx, budget.metadata.name!, (current) => {
            const b = structuredClone(current ?? budget) as Budget;
            const s = b.status ?? {};
            if ((s.observedGeneration ?? 0) < (b.metadata.generation ?? 1)) throw tooManyRequests(VIOLATION, `The disruption budget ${b.metadata.name} is still being processed by the server.`);
            if ((s.disruptionsAllowed ?? 0) <= 0) throw tooManyRequests(VIOLATION, `The disruption budget ${b.metadata.name} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently`);
            if (dryRun) return current!;
            b.status = { ...s, disruptionsAllowed: (s.disruptionsAllowed ?? 0) - 1, disruptedPods: { ...(s.disruptedPods ?? {}), [name]: rfc3339(clock()) } };
            return b;
          }, { allowCreate: false, internal: true });
        }
      }
      await addConditionAndDelete(pods, ctx, name, opts, dryRun, clock);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as KubeObject;
    },
  };
}
