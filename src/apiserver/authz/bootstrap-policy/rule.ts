/**
 * Compact builders for rbac/v1 PolicyRules, so the bootstrap policy reads as a table
 * (upstream pkg/apis/rbac/v1 helpers NewRule(...).Groups(...).Resources(...).Names(...)).
 * Lists are written space-separated; the core API group is spelled `core` here and
 * becomes '' in the rule.
 */

/** rbac.authorization.k8s.io/v1 PolicyRule (fields omitted when empty, as the API prints them). */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Resource rule: `res('get list', 'core apps', 'pods deployments', 'name1')`. */
export function res(verbs: string, groups: string, resources: string, names?: string): PolicyRule {
  const rule: PolicyRule = { verbs: words(verbs), apiGroups: words(groups).map((g) => (g === 'core' ? '' : g)), resources: words(resources) };
  if (names) rule.resourceNames = words(names);
  return rule;
}

/** Non-resource rule: `urls('get', '/healthz /livez')`. */
export function urls(verbs: string, paths: string): PolicyRule {
  return { verbs: words(verbs), nonResourceURLs: words(paths) };
}

/** Upstream `Read` verbs. */
export const READ = 'get list watch';
/** Upstream `Write` verbs (create, update, patch, delete, deletecollection), sorted as the API returns them. */
export const WRITE = 'create delete deletecollection patch update';
/** Read plus write. */
export const READ_WRITE = 'create delete deletecollection get list patch update watch';

/** Upstream eventsRule(): create/update/patch events in the core and events.k8s.io groups. */
export const eventsRule = (): PolicyRule => res('create patch update', 'core events.k8s.io', 'events');
