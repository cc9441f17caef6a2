/**
 * Node identity (upstream pkg/auth/nodeidentifier default identifier): a user is a node
 * when its name starts with `system:node:` and it is in group `system:nodes`; the node
 * name is the rest of the user name ('' for an unidentifiable node).
 */
import type { UserInfo } from '../../registry/rest.js';

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';

/** `{ isNode: false }` for non-nodes; otherwise the node name (possibly ''). */
export function nodeIdentity(user: UserInfo): { isNode: boolean; nodeName: string } {
  if (!user.username.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return { isNode: false, nodeName: '' };
  return { isNode: true, nodeName: user.username.slice(NODE_USER_PREFIX.length) };
}
