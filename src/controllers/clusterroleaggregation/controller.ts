/**
 * ClusterRole aggregation (upstream pkg/controller/clusterroleaggregation): a ClusterRole
 * with `aggregationRule.clusterRoleSelectors` gets as `rules` the union of the rules of the
 * other ClusterRoles matching any selector — selectors in order, matching roles by name,
 * rules in order, each distinct rule once. Any ClusterRole change requeues every
 * aggregated ClusterRole (the set is small and the dependency graph unknown).
 *
 * Upstream writes with server-side apply (field manager
 * `clusterrole-aggregation-controller`, forced); k8ts uses its documented fallback, an
 * update of the cached object with the rules replaced (conflicts retry).
 */
import type { KubeObject } from '../../api/object.js';
import { clusterRoleDefinition, type ClusterRole } from '../../api/rbac/v1/cluster-role.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import type { Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { isNotFound } from '../../machinery/errors.js';
import { selectorFromLabelSelector, type LabelSelectorLike } from '../../machinery/labels.js';
import { stableJson } from '../../machinery/stable-json.js';
import { QueueController } from '../controller.js';

/** The clusterroles resource of rbac.authorization.k8s.io/v1. */
export const CLUSTER_ROLES = refOf(untyped(clusterRoleDefinition));

type Rule = Record<string, unknown>;

/** Semantic equality of rules: absent and empty lists are the same. */
const ruleKey = (r: Rule): string =>
  stableJson(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))));

const selectorsOf = (r: KubeObject | undefined): LabelSelectorLike[] | undefined =>
  (r as ClusterRole | undefined)?.aggregationRule?.clusterRoleSelectors as LabelSelectorLike[] | undefined;

/**
 * The aggregated rules of `target` among `all` ClusterRoles: for each selector, the
 * matching roles (other than `target`) sorted by name, their rules appended unless an
 * equal rule is already there. Throws on an invalid selector.
 */
export function aggregateRules(target: ClusterRole, all: ClusterRole[]): Rule[] {
  const out: Rule[] = [];
  const seen = new Set<string>();
  for (const ls of selectorsOf(target) ?? []) {
    const selector = selectorFromLabelSelector(ls);
    const matching = all.filter((r) => selector.matches(r.metadata.labels)).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
    for (const r of matching) {
      if (r.metadata.name === target.metadata.name) continue;
      for (const rule of (r.rules ?? []) as Rule[]) {
        const k = ruleKey(rule);
        if (!seen.has(k)) { seen.add(k); out.push(rule); }
      }
    }
  }
  return out;
}

export class ClusterRoleAggregationController extends QueueController {
  private readonly roles: SharedIndexInformer<ClusterRole>;

  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('clusterrole-aggregation', informers);
    this.roles = informers.forResource<ClusterRole>(CLUSTER_ROLES);
    this.roles.addEventHandler({ onAdd: () => this.enqueueAggregated(), onUpdate: () => this.enqueueAggregated(), onDelete: () => this.enqueueAggregated() });
  }

  /** Queues every ClusterRole that has an aggregationRule. */
  private enqueueAggregated(): void {
    for (const r of this.roles.lister.list()) if ((r as ClusterRole).aggregationRule) this.queue.add(r.metadata.name!);
  }

  protected async sync(key: string): Promise<void> {
    const role = this.roles.lister.get(key);
    if (!role?.aggregationRule) return;
    const rules = aggregateRules(role, this.roles.lister.list());
    const current = (role.rules ?? []) as Rule[];
    if (current.length === rules.length && current.every((r, i) => ruleKey(r) === ruleKey(rules[i]))) return;
    await this.client.resource<ClusterRole>(CLUSTER_ROLES).update({ ...role, rules: structuredClone(rules) })
      .catch((e) => { if (!isNotFound(e)) throw e; });
  }
}
