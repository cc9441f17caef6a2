/**
 * AlwaysAllow (upstream authorizerfactory alwaysAllowAuthorizer, `--authorization-mode=
 * AlwaysAllow`): every request is allowed with no reason, and every user's rules are `*`
 * verbs on `*` groups and resources plus `*` verbs on `*` non-resource URLs, complete.
 */
import type { Authorizer, AuthorizationResult, RulesResult } from './authorizer.js';

export class AlwaysAllowAuthorizer implements Authorizer {
  authorize(): AuthorizationResult { return { decision: 'Allow', reason: '' }; }
  rulesFor(): RulesResult {
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
}
