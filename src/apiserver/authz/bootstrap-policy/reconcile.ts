/**
 * Bootstrap policy reconciliation at apiserver start (upstream pkg/registry/rbac/rest
 * storage_rbac.go EnsureRBACPolicy with pkg/registry/rbac/reconciliation, `--union`, not
 * `--remove-extra-*`):
 *  - missing objects are created (namespaces kube-system/kube-public first, if absent);
 *  - existing objects annotated `rbac.authorization.kubernetes.io/autoupdate: "true"` (or
 *    without the annotation) get the missing labels/annotations, missing rules (broken down
 *    per verb/resource as upstream), missing aggregation selectors and missing subjects;
 *    a binding whose roleRef differs is deleted and recreated;
 *  - objects annotated autoupdate "false" are left alone.
 * Each write is retried on conflict (re-read, recompute). Errors are collected per object,
 * not thrown, as upstream logs them and goes on.
 */
import type { KubeObject } from '../../../api/object.js';
import { refOf, untyped } from '../../../api/resource-definition.js';
import { clusterRoleBindingDefinition } from '../../../api/rbac/v1/cluster-role-binding.js';
import { clusterRoleDefinition } from '../../../api/rbac/v1/cluster-role.js';
import { roleBindingDefinition } from '../../../api/rbac/v1/role-binding.js';
import { roleDefinition } from '../../../api/rbac/v1/role.js';
import { resources, type Client, type ResourceRef } from '../../../client/interface.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../../machinery/errors.js';
import { uncoveredRules } from './covers.js';
import { AUTOUPDATE_ANNOTATION, type AggregationRule, type Subject } from './metadata.js';
import { bootstrapPolicy, type BootstrapPolicy } from './policy.js';
import type { PolicyRule } from './rule.js';

/** What happened to each object, as `Kind namespace/name` keys. */
export interface ReconcileReport { created: string[]; updated: string[]; recreated: string[]; unchanged: string[]; skipped: string[]; errors: Array<{ object: string; error: string }> }

const refs = {
  ClusterRole: refOf(untyped(clusterRoleDefinition)),
  ClusterRoleBinding: refOf(untyped(clusterRoleBindingDefinition)),
  Role: refOf(untyped(roleDefinition)),
  RoleBinding: refOf(untyped(roleBindingDefinition)),
} satisfies Record<string, ResourceRef>;

type Obj = KubeObject & Record<string, any>;
type Outcome = 'created' | 'updated' | 'recreated' | 'unchanged' | 'skipped';
const MAX_CONFLICT_RETRIES = 5;

const sameSubject = (a: Subject, b: Subject): boolean => a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
const roleRefKey = (r: any): string => `${r?.apiGroup}/${r?.kind}/${r?.name}`;

/** Existing values win; keys only the expected object has are added. Returns whether anything was added. */
function mergeMissing(existing: Record<string, string> | undefined, expected: Record<string, string>): [Record<string, string>, boolean] {
  const out = { ...(existing ?? {}) };
  let changed = false;
  for (const [k, v] of Object.entries(expected)) if (!(k in out)) { out[k] = v; changed = true; }
  return [out, changed];
}

/** The reconciled object, or undefined when nothing changes; 'recreate' for a roleRef change. */
function reconcileObject(existing: Obj, expected: Obj): Obj | undefined | 'recreate' {
  const isBinding = (expected.kind ?? '').endsWith('Binding');
  if (isBinding && roleRefKey(existing.roleRef) !== roleRefKey(expected.roleRef)) return 'recreate';
  const next: Obj = structuredClone(existing);
  const [labels, l] = mergeMissing(existing.metadata.labels, expected.metadata.labels ?? {});
  const [annotations, a] = mergeMissing(existing.metadata.annotations, expected.metadata.annotations ?? {});
  next.metadata.labels = labels;
  next.metadata.annotations = annotations;
  let changed = l || a;
  if (isBinding) {
    const have: Subject[] = existing.subjects ?? [];
    const missing = ((expected.subjects ?? []) as Subject[]).filter((s) => !have.some((h) => sameSubject(h, s)));
    if (missing.length) { next.subjects = [...have, ...missing]; changed = true; }
  } else {
    const missing = uncoveredRules(existing.rules ?? [], expected.rules ?? []);
    if (missing.length) { next.rules = [...(existing.rules ?? []), ...missing] as PolicyRule[]; changed = true; }
    const exp = expected.aggregationRule as AggregationRule | undefined;
    if (exp) {
      const selectors = existing.aggregationRule?.clusterRoleSelectors ?? [];
      const add = exp.clusterRoleSelectors.filter((s) => !selectors.some((h: unknown) => JSON.stringify(h) === JSON.stringify(s)));
      if (add.length) { next.aggregationRule = { clusterRoleSelectors: [...selectors, ...add] }; changed = true; }
    }
  }
  return changed ? next : undefined;
}

async function ensureOne(client: Client, expected: Obj): Promise<Outcome> {
  const rc = client.resource<Obj>(refs[expected.kind as keyof typeof refs]);
  const ns = expected.metadata.namespace;
  for (let attempt = 0; ; attempt++) {
    try {
      let existing: Obj;
      try { existing = await rc.get(expected.metadata.name!, { namespace: ns }); } catch (e) {
        if (!isNotFound(e)) throw e;
        await rc.create(expected, { namespace: ns });
        return 'created';
      }
      if (existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return 'skipped';
      const next = reconcileObject(existing, expected);
      if (next === undefined) return 'unchanged';
      if (next === 'recreate') {
        await rc.delete(expected.metadata.name!, { namespace: ns, preconditions: { uid: existing.metadata.uid } });
        await rc.create(expected, { namespace: ns });
        return 'recreated';
      }
      await rc.update(next);
      return 'updated';
    } catch (e) {
      // Conflict on update, AlreadyExists on a racing create, NotFound on a racing delete: recompute.
      if (attempt < MAX_CONFLICT_RETRIES && (isConflict(e) || isAlreadyExists(e))) continue;
      throw e;
    }
  }
}

async function ensureNamespace(client: Client, name: string): Promise<void> {
  await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch((e) => { if (!isAlreadyExists(e)) throw e; });
}

/**
 * Reconciles `policy` (default: the v1.32 bootstrap policy) against the cluster through
 * `client` (which must be allowed to escalate, e.g. system:masters). Never throws for a
 * single object: failures are in `errors`.
 */
export async function reconcileBootstrapPolicy(client: Client, policy: BootstrapPolicy = bootstrapPolicy()): Promise<ReconcileReport> {
  const report: ReconcileReport = { created: [], updated: [], recreated: [], unchanged: [], skipped: [], errors: [] };
  const namespaces = new Set([...policy.roles, ...policy.roleBindings].map((o) => o.metadata.namespace!));
  for (const ns of namespaces) {
    try { await ensureNamespace(client, ns); } catch (e) { report.errors.push({ object: `Namespace ${ns}`, error: (e as Error).message }); }
  }
  const all: Obj[] = [...policy.clusterRoles, ...policy.clusterRoleBindings, ...policy.roles, ...policy.roleBindings] as unknown as Obj[];
  for (const obj of all) {
    const key = `${obj.kind} ${obj.metadata.namespace ? obj.metadata.namespace + '/' : ''}${obj.metadata.name}`;
    try { report[await ensureOne(client, structuredClone(obj))].push(key); } catch (e) { report.errors.push({ object: key, error: (e as Error).message }); }
  }
  return report;
}

