/**
 * The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac RBACAuthorizer): allows a
 * request when any rule bound to the user matches it, with the reason
 * `RBAC: allowed by <binding description>`; otherwise has no opinion, with reason
 * `RBAC: <resolution errors>` when roles could not be read, else ''. Never denies.
 */
import type { Attributes, AuthorizationResult, Authorizer, NonResourceRule, ResourceRule, RulesResult } from '../authorizer.js';
import type { UserInfo } from '../../registry/rest.js';
import { ruleAllows } from './policy-rule.js';
import type { RbacSource } from './rbac-source.js';
import { aggregateMessage, RbacRuleResolver } from './rule-resolver.js';

export class RbacAuthorizer implements Authorizer {
  /** The rule resolver over the same source (for escalation checks). */
  readonly resolver: RbacRuleResolver;
  constructor(source: RbacSource) { this.resolver = new RbacRuleResolver(source); }

  /** Authorize: Allow on the first matching rule; NoOpinion otherwise. */
  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    await this.resolver.visitRulesFor(attrs.user, attrs.namespace ?? '', (source, rule, err) => {
      if (rule && ruleAllows(attrs, rule)) { allowedBy = source; return false; }
      if (err) errors.push(err);
      return true;
    });
    if (allowedBy !== undefined) return { decision: 'Allow', reason: `RBAC: allowed by ${allowedBy}` };
    return { decision: 'NoOpinion', reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '' };
  }

  /**
   * RulesFor (SelfSubjectRulesReview): each rule with resources as a resource rule, each with
   * nonResourceURLs as a non-resource rule. As upstream, `incomplete` stays false; resolution
   * errors are the evaluationError.
   */
  async rulesFor(user: UserInfo, namespace: string): Promise<RulesResult> {
    const { rules, errors } = await this.resolver.rulesFor(user, namespace);
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    for (const r of rules) {
      if ((r.resources ?? []).length) {
        resourceRules.push({ verbs: [...r.verbs], apiGroups: [...(r.apiGroups ?? [])], resources: [...r.resources!], ...((r.resourceNames ?? []).length ? { resourceNames: [...r.resourceNames!] } : {}) });
      }
      if ((r.nonResourceURLs ?? []).length) nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs!] });
    }
    return { resourceRules, nonResourceRules, incomplete: false, ...(errors.length ? { evaluationError: aggregateMessage(errors) } : {}) };
  }
}
