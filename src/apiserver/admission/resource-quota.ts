/**
 * ResourceQuota (upstream plugin/pkg/admission/resourcequota and
 * k8s.io/apiserver/pkg/admission/plugin/resourcequota): the last validating plugin.
 * For a create or update in a namespace with quotas, each quota whose `status.hard`
 * names a resource the object's kind accounts for (pkg/quota evaluators) and whose
 * scopes match the object is checked:
 * - a pod in a quota of cpu or memory must state that request/limit in every container
 *   (`failed quota: q: must specify limits.cpu for: app; requests.memory for: app,side`);
 * - the quota must have usage for those resources (`status unknown for quota: q,
 *   resource: pods`), which the quota controller writes;
 * - used + the request's delta (the new object's usage, minus the old one's on update)
 *   must stay within hard for every resource the request increases, else
 *   `exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2`.
 * All are 403 Forbidden `<resource> "<name>" is forbidden: …`. When every quota admits
 * the request and it is not a dry run, the quotas' `status.used` are raised by the delta
 * (compare-and-swap on their resourceVersion, retried on conflict), so concurrent
 * creates cannot overrun a quota; the quota controller later recounts.
 */
import type { KubeObject } from '../../api/object.js';
import type { Pod, Container } from '../../api/core/v1/pod-types.js';
import type { ResourceQuota } from '../../api/core/v1/resource-quota.js';
import type { ResourceRef } from '../../client/interface.js';
import { forbidden } from '../../machinery/errors.js';
import { addAmount, formatAmount, parseAmount, type Amount } from '../../machinery/quantity-amount.js';
import { objectCountEvaluator, type Evaluator, type Usage } from '../../quota/evaluators.js';
import { inScope } from '../../quota/usage.js';
import type { AdmissionAttributes, AdmissionPlugin } from './interface.js';

/** How the plugin reads and writes quotas (the registry's stores). */
export interface QuotaAccess {
  /** The namespace's quotas: as recently cached, or (`fresh`) as stored now. */
  list(namespace: string, fresh?: boolean): Promise<ResourceQuota[]>;
  /** Writes `used` into the quota's status if its resourceVersion is unchanged; false on a conflict. */
  updateUsed(quota: ResourceQuota, used: Record<string, string>): Promise<boolean>;
  /** The evaluator for a kind: the built-in ones, else an object count for stored namespaced kinds. */
  evaluatorFor(ref: ResourceRef): Evaluator | undefined;
}

/** Resources whose presence in a quota obliges every container to state them (upstream's validationSet). */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
const MAX_RETRIES = 5;

/** The `must specify …` text for a pod, or undefined when every container states what `required` asks (upstream podEvaluator.Constraints). */
export function podConstraintError(pod: Pod, required: string[]): string | undefined {
  const wanted = required.filter((r) => MUST_SPECIFY.has(r));
  if (!wanted.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const check = (c: Container): void => {
    const res = (c.resources ?? {}) as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (res.requests?.[r] !== undefined) { has.add(r); has.add(`requests.${r}`); }
      if (res.limits?.[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of wanted) if (!has.has(r)) { const s = missing.get(r) ?? new Set<string>(); s.add(c.name); missing.set(r, s); }
  };
  for (const c of pod.spec?.containers ?? []) check(c);
  for (const c of pod.spec?.initContainers ?? []) check(c);
  if (!missing.size) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`).join('; ')}`;
}

/** `a=1,b=2` with keys sorted (upstream prettyPrint). */
const pretty = (l: Record<string, string>): string => Object.keys(l).sort().map((k) => `${k}=${l[k]}`).join(',');

const amount = (v: unknown): Amount | undefined => { try { return parseAmount(v as string | number); } catch { return undefined; } };

/** What the request would do to one quota: the new `used`, or the refusal's text. */
function judge(ev: Evaluator, quota: ResourceQuota, delta: Usage, obj: KubeObject, isPod: boolean): { used?: Record<string, string>; error?: string } | undefined {
  const hard = (quota.status?.hard ?? {}) as Record<string, string | number>;
  const tracked = ev.matching(Object.keys(hard));
  if (!tracked.length || !inScope(ev, quota, obj)) return undefined;
  if (isPod) {
    const err = podConstraintError(obj as Pod, tracked);
    if (err) return { error: `failed quota: ${quota.metadata.name}: ${err}` };
  }
  const stored = (quota.status?.used ?? {}) as Record<string, string | number>;
  const lacking = tracked.filter((r) => stored[r] === undefined);
  if (lacking.length) return { error: `status unknown for quota: ${quota.metadata.name}, resource: ${lacking.sort().join(',')}` };
  const used: Record<string, string> = {};
  for (const [k, v] of Object.entries(stored)) used[k] = String(v);
  const requested: Record<string, string> = {};
  const failedUsed: Record<string, string> = {};
  const failedHard: Record<string, string> = {};
  let changed = false;
  for (const r of tracked) {
    const d = delta[r];
    if (!d || d.nanos === 0n) continue;
    const before = amount(stored[r]) ?? parseAmount(0);
    const after = addAmount(before, d);
    const limit = amount(hard[r]);
    if (d.nanos > 0n && limit && after.nanos > limit.nanos) {
      requested[r] = formatAmount(d);
      failedUsed[r] = formatAmount(before);
      failedHard[r] = formatAmount(limit);
    }
    used[r] = formatAmount(after.nanos < 0n ? parseAmount(0) : after);
    changed = true;
  }
  if (Object.keys(requested).length) {
    return { error: `exceeded quota: ${quota.metadata.name}, requested: ${pretty(requested)}, used: ${pretty(failedUsed)}, limited: ${pretty(failedHard)}` };
  }
  return changed ? { used } : undefined;
}

/** The request's usage change: the new object's usage, minus the old one's (when it was in scope of the same accounting). */
function deltaOf(ev: Evaluator, a: AdmissionAttributes, now: number): Usage {
  const next = ev.usage(a.object!, now);
  if (a.operation !== 'UPDATE' || !a.oldObject) return next;
  const prev = ev.usage(a.oldObject, now);
  const out: Usage = {};
  for (const k of new Set([...Object.keys(next), ...Object.keys(prev)])) {
    const n = next[k]?.nanos ?? 0n;
    const p = prev[k]?.nanos ?? 0n;
    out[k] = { nanos: n - p, format: (next[k] ?? prev[k])!.format };
  }
  return out;
}

/** The plugin; `now` is the clock in ms (pods past their deletion grace stop being charged). */
export const resourceQuotaAdmission = (access: QuotaAccess, now: () => number = Date.now): AdmissionPlugin => ({
  name: 'ResourceQuota',
  async validate(a) {
    if ((a.operation !== 'CREATE' && a.operation !== 'UPDATE') || a.subresource || !a.namespace || !a.object) return;
    const ev = access.evaluatorFor({ group: a.resource.group, version: a.resource.version, resource: a.resource.plural });
    if (!ev) return;
    const isPod = a.resource.group === '' && a.resource.plural === 'pods';
    const name = a.name || a.object.metadata.name || '';
    const qualified = a.resource.group ? `${a.resource.plural}.${a.resource.group}` : a.resource.plural;
    const refuse = (msg: string) => forbidden(`${qualified} "${name}" is forbidden: ${msg}`, { group: a.resource.group, resource: a.resource.plural, name });
    for (let attempt = 0; ; attempt++) {
      // The cached quotas first; after a lost compare-and-swap, the stored ones.
      const quotas = await access.list(a.namespace, attempt > 0);
      if (!quotas.length) return;
      const delta = deltaOf(ev, a, now());
      const updates: Array<{ quota: ResourceQuota; used: Record<string, string> }> = [];
      for (const q of quotas.sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1))) {
        const verdict = judge(ev, q, delta, a.object, isPod);
        if (verdict?.error) throw refuse(verdict.error);
        if (verdict?.used) updates.push({ quota: q, used: verdict.used });
      }
      if (a.dryRun || !updates.length) return;
      let conflict = false;
      for (const u of updates) if (!(await access.updateUsed(u.quota, u.used))) { conflict = true; break; }
      if (!conflict) return;
      if (attempt >= MAX_RETRIES) throw refuse('Operation cannot be fulfilled on resourcequotas: the quota usage changed too often, try again');
    }
  },
});

/** An evaluator lookup over built-in evaluators, then object counts for `stored(ref)` kinds. */
export function evaluatorLookup(builtin: Evaluator[], stored: (ref: ResourceRef) => boolean): (ref: ResourceRef) => Evaluator | undefined {
  const byKey = new Map(builtin.map((e) => [`${e.ref.group}/${e.ref.resource}`, e]));
  const counted = new Map<string, Evaluator>();
  return (ref) => {
    const key = `${ref.group}/${ref.resource}`;
    const e = byKey.get(key) ?? counted.get(key);
    if (e) return e;
    if (ref.resource === 'events' || !stored(ref)) return undefined;
    const made = objectCountEvaluator(ref);
    counted.set(key, made);
    return made;
  };
}
