/**
 * `--authorization-mode` (upstream pkg/kubeapiserver/authorizer/config.go): a comma list of
 * AlwaysAllow, Node and RBAC, asked in that order through a union, behind upstream's
 * privileged-group authorizer (members of `system:masters` are allowed everything
 * before any mode is asked). k8ts' servers default to `Node,RBAC`, as kubeadm and k3s.
 */
import type { Attributes, AuthorizationResult, Authorizer, RulesResult } from './authorizer.js';
import { AlwaysAllowAuthorizer } from './always-allow.js';
import { UnionAuthorizer } from './union.js';
import { RbacAuthorizer } from './rbac/rbac-authorizer.js';
import type { RbacSource } from './rbac/rbac-source.js';
import { NodeAuthorizer } from './node/node-authorizer.js';
import type { NodeGraphSource } from './node/graph-source.js';
import type { UserInfo } from '../registry/rest.js';

export type AuthorizationMode = 'AlwaysAllow' | 'Node' | 'RBAC';
const MODES: AuthorizationMode[] = ['AlwaysAllow', 'Node', 'RBAC'];

/** The modes of `--authorization-mode` ("Node,RBAC"). Throws Error naming an unknown or repeated mode. */
export function parseAuthorizationModes(value: string): AuthorizationMode[] {
  const modes = value.split(',').map((m) => m.trim()).filter(Boolean);
  if (!modes.length) throw new Error('at least one authorization-mode must be passed');
  const seen = new Set<string>();
  for (const m of modes) {
    if (!MODES.includes(m as AuthorizationMode)) throw new Error(`authorization-mode "${m}" is not a valid mode`);
    if (seen.has(m)) throw new Error(`authorization-mode "${m}" has mode specified more than once`);
    seen.add(m);
  }
  return modes as AuthorizationMode[];
}

/** upstream authorizerfactory.NewPrivilegedGroups: members of `groups` are allowed everything. */
export class PrivilegedGroupsAuthorizer implements Authorizer {
  constructor(private readonly groups: string[]) {}
  authorize(a: Attributes): AuthorizationResult {
    return (a.user.groups ?? []).some((g) => this.groups.includes(g)) ? { decision: 'Allow', reason: '' } : { decision: 'NoOpinion', reason: '' };
  }
  rulesFor(user: UserInfo): RulesResult {
    if (!(user.groups ?? []).some((g) => this.groups.includes(g))) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return new AlwaysAllowAuthorizer().rulesFor();
  }
}

/** The authorizer of `modes` and, when RBAC is among them, the RBAC authorizer itself (escalation checks use its resolver). */
export interface BuiltAuthorizer { authorizer: Authorizer; rbac?: RbacAuthorizer }

/** Builds the chain of `modes` over the sources the modes read. */
export function buildAuthorizer(modes: AuthorizationMode[], sources: { rbac: RbacSource; nodeGraph: NodeGraphSource }): BuiltAuthorizer {
  if (modes.length === 1 && modes[0] === 'AlwaysAllow') return { authorizer: new AlwaysAllowAuthorizer() };
  let rbac: RbacAuthorizer | undefined;
  const chain: Authorizer[] = [new PrivilegedGroupsAuthorizer(['system:masters'])];
  for (const m of modes) {
    if (m === 'AlwaysAllow') chain.push(new AlwaysAllowAuthorizer());
    else if (m === 'Node') chain.push(new NodeAuthorizer(sources.nodeGraph));
    else chain.push((rbac = new RbacAuthorizer(sources.rbac)));
  }
  return { authorizer: new UnionAuthorizer(chain), rbac };
}
