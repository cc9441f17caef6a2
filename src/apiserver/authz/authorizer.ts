/**
 * Authorization (upstream k8s.io/apiserver/pkg/authorization/authorizer): one
 * interface that decides on the attributes of a request, and a rule resolver that lists
 * what a user may do in a namespace (SelfSubjectRulesReview, `kubectl auth can-i --list`).
 * Implementations: AlwaysAllow (always-allow.ts, upstream's `--authorization-mode=AlwaysAllow`),
 * RBAC (rbac/rbac-authorizer.ts) and the union of several (union.ts); Node comes later.
 * Nothing enforces decisions on requests yet: the review kinds (registry/reviews.ts) and
 * impersonation (endpoints/impersonation.ts) ask the authorizer.
 */
import type { UserInfo } from '../registry/rest.js';

/** authorizer.Decision. */
export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

/**
 * authorizer.Attributes: what is being asked. Resource requests carry group, version,
 * resource, subresource, namespace and name; non-resource requests a path.
 */
export interface Attributes {
  user: UserInfo;
  /** Kubernetes verb (get, list, create, impersonate...) for resource requests; lower-case HTTP verb for non-resource ones. */
  verb: string;
  resourceRequest: boolean;
  namespace?: string;
  /** API group; '' is the core group, '*' all groups. */
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** Non-resource requests: the URL path. */
  path?: string;
  /** List/watch requests: the `fieldSelector` and `labelSelector` query (upstream GetFieldSelector/GetLabelSelector, KEP-4601). */
  fieldSelector?: string;
  labelSelector?: string;
}

/** The answer of an authorizer: decision, a human-readable reason, and an evaluation error when rules could not all be evaluated. */
export interface AuthorizationResult { decision: Decision; reason: string; evaluationError?: string }

/** authorizer.ResourceRuleInfo as SelfSubjectRulesReview prints it (authorization/v1 ResourceRule). */
export interface ResourceRule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }
/** authorizer.NonResourceRuleInfo (authorization/v1 NonResourceRule). */
export interface NonResourceRule { verbs: string[]; nonResourceURLs?: string[] }

/** What RuleResolver.RulesFor answers; `incomplete` when some rules could not be listed. */
export interface RulesResult { resourceRules: ResourceRule[]; nonResourceRules: NonResourceRule[]; incomplete: boolean; evaluationError?: string }

/** authorizer.Authorizer plus authorizer.RuleResolver: every k8ts authorizer is both. */
export interface Authorizer {
  authorize(attributes: Attributes): Promise<AuthorizationResult> | AuthorizationResult;
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResult> | RulesResult;
}
