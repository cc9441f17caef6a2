/**
 * The union authorizer (upstream k8s.io/apiserver/pkg/authorization/union): asks each
 * authorizer in order; the first Allow or Deny decides (with that authorizer's reason and
 * error); when all have no opinion the answer is NoOpinion with the non-empty reasons
 * joined by newlines and the errors aggregated. Rules are the concatenation of every
 * authorizer's rules, incomplete if any is, errors aggregated.
 */
import type { Attributes, AuthorizationResult, Authorizer, RulesResult } from './authorizer.js';
import type { UserInfo } from '../registry/rest.js';
import { aggregateMessage } from './rbac/rule-resolver.js';

export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: Authorizer[]) {}

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    const reasons: string[] = [];
    const errors: string[] = [];
    for (const a of this.authorizers) {
      const r = await a.authorize(attrs);
      if (r.evaluationError) errors.push(r.evaluationError);
      if (r.reason) reasons.push(r.reason);
      if (r.decision === 'Allow' || r.decision === 'Deny') return r;
    }
    return { decision: 'NoOpinion', reason: reasons.join('\n'), ...(errors.length ? { evaluationError: aggregateMessage(errors) } : {}) };
  }

  async rulesFor(user: UserInfo, namespace: string): Promise<RulesResult> {
    const out: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false };
    const errors: string[] = [];
    for (const a of this.authorizers) {
      const r = await a.rulesFor(user, namespace);
      if (r.incomplete) out.incomplete = true;
      if (r.evaluationError) errors.push(r.evaluationError);
      out.resourceRules.push(...r.resourceRules);
      out.nonResourceRules.push(...r.nonResourceRules);
    }
    if (errors.length) out.evaluationError = aggregateMessage(errors);
    return out;
  }
}
