/**
 * The Node authorizer (upstream plugin/pkg/auth/authorizer/node/node_authorizer.go, v1.32
 * with AuthorizeNodeWithSelectors on). Only for users `system:node:<name>` in group
 * `system:nodes`; everyone else gets NoOpinion with an empty reason.
 *  - secrets, configmaps (get/list/watch of one named object), persistentvolumeclaims,
 *    persistentvolumes, resourceclaims, volumeattachments (get), pvc status (update/patch),
 *    serviceaccounts/token (create), pods (get; list/watch with `spec.nodeName=<node>`):
 *    allowed when the object is related to the node (NodeGraphSource); otherwise NoOpinion
 *    "no relationship found between node '<node>' and this object";
 *  - leases: get/create/update/patch/delete of kube-node-lease/<node>;
 *  - csinodes: get/create/update/patch/delete of the node's own CSINode;
 *  - resourceslices: create; get/update/patch/delete of slices on the node;
 *    list/watch/deletecollection with the `nodeName=<node>` field selector;
 *  - nodes: create/update/patch and status update/patch; get/list/watch of its own Node;
 *  - pods: create/delete (mirror pods), status update/patch, eviction create;
 *  - everything else: the static node rules (bootstrap-policy nodeRules()).
 * Write restrictions to the node's own objects are NodeRestriction admission's job.
 * `rulesFor` of a node is incomplete with "node authorizer does not support user rule resolution".
 */
import type { UserInfo } from '../../registry/rest.js';
import type { Attributes, AuthorizationResult, Authorizer, RulesResult } from '../authorizer.js';
import { nodeRules } from '../bootstrap-policy/cluster-roles.js';
import type { PolicyRule } from '../bootstrap-policy/rule.js';
import type { NodeGraphSource } from './graph-source.js';
import { nodeIdentity } from './node-identity.js';
import { rulesAllow } from './rules-allow.js';

/** Attributes plus the request's field selector (e.g. `spec.nodeName=n1`), which list/watch checks read. */
export type NodeAttributes = Attributes & { fieldSelector?: string };

/** Upstream vertex type names, used in the graph messages. */
type VertexType = 'configmap' | 'pod' | 'pvc' | 'pv' | 'resourceclaim' | 'secret' | 'volumeattachment' | 'serviceAccount' | 'resourceslice';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const allow = (): AuthorizationResult => ({ decision: 'Allow', reason: '' });
const noOpinion = (reason = ''): AuthorizationResult => ({ decision: 'NoOpinion', reason });

/** Parses `a=b,c==d,e!=f` into equality requirements (only `=`/`==` count, as upstream's selection.Equals). */
function equalities(selector: string | undefined): Array<{ field: string; value: string }> {
  if (!selector) return [];
  return selector.split(',').flatMap((part) => {
    const m = /^\s*([^!=\s]+)\s*(==|=)\s*(.*?)\s*$/.exec(part);
    return m ? [{ field: m[1], value: m[3] }] : [];
  });
}

export interface NodeAuthorizerOptions {
  /** The static rules (default: bootstrap-policy nodeRules()). */
  rules?: PolicyRule[];
  /** Receives upstream's "NODE DENY" detail (e.g. "node 'n1' cannot get unknown secret ns/x"). */
  log?: (message: string) => void;
}

export class NodeAuthorizer implements Authorizer {
  private readonly rules: PolicyRule[];
  private readonly log: (m: string) => void;

  constructor(private readonly graph: NodeGraphSource, opts: NodeAuthorizerOptions = {}) {
    this.rules = opts.rules ?? nodeRules();
    this.log = opts.log ?? (() => {});
  }

  rulesFor(user: UserInfo): RulesResult {
    if (nodeIdentity(user).isNode) return { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' };
    return { resourceRules: [], nonResourceRules: [], incomplete: false };
  }

  async authorize(a: NodeAttributes): Promise<AuthorizationResult> {
    const { isNode, nodeName } = nodeIdentity(a.user);
    if (!isNode) return noOpinion();
    if (!nodeName) return noOpinion(`unknown node for user "${a.user.username}"`);
    if (a.resourceRequest) {
      const group = a.apiGroup ?? '';
      const key = `${group}/${a.resource ?? ''}`;
      switch (key) {
        case '/secrets': return this.readNamespaced(nodeName, 'secret', a);
        case '/configmaps': return this.readNamespaced(nodeName, 'configmap', a);
        case '/persistentvolumeclaims':
          return a.subresource === 'status' ? this.statusUpdate(nodeName, 'pvc', a) : this.get(nodeName, 'pvc', a);
        case '/persistentvolumes': return this.get(nodeName, 'pv', a);
        case 'resource.k8s.io/resourceclaims': return this.get(nodeName, 'resourceclaim', a);
        case 'storage.k8s.io/volumeattachments': return this.get(nodeName, 'volumeattachment', a);
        case '/serviceaccounts': return this.createToken(nodeName, a);
        case 'coordination.k8s.io/leases': return this.lease(nodeName, a);
        case 'storage.k8s.io/csinodes': return this.csiNode(nodeName, a);
        case 'resource.k8s.io/resourceslices': return this.resourceSlice(nodeName, a);
        case '/nodes': return this.node(nodeName, a);
        case '/pods': return this.pod(nodeName, a);
      }
    }
    return rulesAllow(a, this.rules) ? allow() : noOpinion();
  }

  private deny(nodeName: string, a: Attributes, reason = ''): AuthorizationResult {
    this.log(`NODE DENY: '${nodeName}' ${a.verb} ${a.apiGroup ?? ''}/${a.resource ?? ''}${a.subresource ? '/' + a.subresource : ''} ${a.namespace ?? ''}/${a.name ?? ''}`);
    return noOpinion(reason);
  }

  private statusUpdate(nodeName: string, type: VertexType, a: Attributes): Promise<AuthorizationResult> | AuthorizationResult {
    if (a.verb !== 'update' && a.verb !== 'patch') return this.deny(nodeName, a, 'can only get/update/patch this type');
    if (a.subresource !== 'status') return this.deny(nodeName, a, 'can only update status subresource');
    return this.related(nodeName, type, a);
  }

  private get(nodeName: string, type: VertexType, a: Attributes): Promise<AuthorizationResult> | AuthorizationResult {
    if (a.verb !== 'get') return this.deny(nodeName, a, 'can only get individual resources of this type');
    if (a.subresource) return this.deny(nodeName, a, 'cannot get subresource');
    return this.related(nodeName, type, a);
  }

  private readNamespaced(nodeName: string, type: VertexType, a: Attributes): Promise<AuthorizationResult> | AuthorizationResult {
    if (!['get', 'list', 'watch'].includes(a.verb)) return this.deny(nodeName, a, 'can only read resources of this type');
    if (a.subresource) return this.deny(nodeName, a, 'cannot read subresource');
    if (!a.namespace) return this.deny(nodeName, a, 'can only read namespaced object of this type');
    return this.related(nodeName, type, a);
  }

  private async related(nodeName: string, type: VertexType, a: Attributes): Promise<AuthorizationResult> {
    if (!a.name) return this.deny(nodeName, a, 'No Object name found');
    return this.pathResult(nodeName, type, a);
  }

  private async pathResult(nodeName: string, type: VertexType, a: Attributes): Promise<AuthorizationResult> {
    const err = await this.hasPathFrom(nodeName, type, a.namespace ?? '', a.name ?? '');
    if (err) { this.log(`NODE DENY: ${err}`); return noOpinion(`no relationship found between node '${nodeName}' and this object`); }
    return allow();
  }

  private createToken(nodeName: string, a: Attributes): Promise<AuthorizationResult> | AuthorizationResult {
    if (a.verb !== 'create' || !a.name) return this.deny(nodeName, a, 'can only create tokens for individual service accounts');
    if (a.subresource !== 'token') return this.deny(nodeName, a, 'can only create token subresource of serviceaccount');
    return this.pathResult(nodeName, 'serviceAccount', a);
  }

  private lease(nodeName: string, a: Attributes): AuthorizationResult {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return this.deny(nodeName, a, 'can only get, create, update, patch, or delete a node lease');
    if (a.namespace !== NODE_LEASE_NAMESPACE) return this.deny(nodeName, a, `can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    if (a.verb !== 'create' && a.name !== nodeName) return this.deny(nodeName, a, 'can only access node lease with the same name as the requesting node');
    return allow();
  }

  private csiNode(nodeName: string, a: Attributes): AuthorizationResult {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return this.deny(nodeName, a, 'can only get, create, update, patch, or delete a CSINode');
    if (a.subresource) return this.deny(nodeName, a, 'cannot authorize CSINode subresources');
    if (a.verb !== 'create' && a.name !== nodeName) return this.deny(nodeName, a, 'can only access CSINode with the same name as the requesting node');
    return allow();
  }

  private resourceSlice(nodeName: string, a: NodeAttributes): Promise<AuthorizationResult> | AuthorizationResult {
    if (a.subresource) return this.deny(nodeName, a, 'cannot authorize ResourceSlice subresources');
    switch (a.verb) {
      case 'create': return allow();
      case 'get': case 'update': case 'patch': case 'delete': return this.related(nodeName, 'resourceslice', a);
      case 'watch': case 'list': case 'deletecollection':
        if (equalities(a.fieldSelector).some((r) => r.field === 'nodeName' && r.value === nodeName)) return allow();
        return this.deny(nodeName, a, 'can only list/watch/deletecollection resourceslices with nodeName field selector');
      default:
        return this.deny(nodeName, a, 'only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection');
    }
  }

  private node(nodeName: string, a: Attributes): AuthorizationResult {
    if (!a.subresource) {
      if (['create', 'update', 'patch'].includes(a.verb)) return allow();
      if (['get', 'list', 'watch'].includes(a.verb)) {
        if (a.name === nodeName) return allow();
        if (!a.name) return this.deny(nodeName, a, `node '${nodeName}' cannot read all nodes, only its own Node object`);
        return this.deny(nodeName, a, `node '${nodeName}' cannot read '${a.name}', only its own Node object`);
      }
    } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) return allow();
    return this.deny(nodeName, a);
  }

  private pod(nodeName: string, a: NodeAttributes): Promise<AuthorizationResult> | AuthorizationResult {
    switch (a.subresource ?? '') {
      case '':
        if (a.verb === 'get') return this.get(nodeName, 'pod', a);
        if (a.verb === 'list' || a.verb === 'watch') {
          if (equalities(a.fieldSelector).some((r) => r.field === 'spec.nodeName' && r.value === nodeName)) return allow();
          if (a.name) return this.related(nodeName, 'pod', a);
          return this.deny(nodeName, a, 'can only list/watch pods with spec.nodeName field selector');
        }
        if (a.verb === 'create' || a.verb === 'delete') return allow();
        break;
      case 'status':
        if (a.verb === 'update' || a.verb === 'patch') return allow();
        break;
      case 'eviction':
        if (a.verb === 'create') return allow();
        break;
    }
    return this.deny(nodeName, a);
  }

  /** Upstream hasPathFrom: undefined when related, else the detail message. */
  private async hasPathFrom(nodeName: string, type: VertexType, namespace: string, name: string): Promise<string | undefined> {
    const g = this.graph;
    if (!(await g.nodeExists(nodeName))) return `unknown node '${nodeName}' cannot get ${type} ${namespace}/${name}`;
    const pods = await g.podsOnNode(nodeName);
    const inNs = pods.filter((p) => p.namespace === namespace);
    let found = false;
    switch (type) {
      case 'pod': found = inNs.some((p) => p.name === name); break;
      case 'secret': found = inNs.some((p) => p.secrets.includes(name)) || await this.pvSecretRelated(pods, namespace, name); break;
      case 'configmap': found = inNs.some((p) => p.configMaps.includes(name)); break;
      case 'serviceAccount': found = inNs.some((p) => p.serviceAccountName === name); break;
      case 'pvc': found = inNs.some((p) => p.persistentVolumeClaims.includes(name)); break;
      case 'resourceclaim': found = inNs.some((p) => p.resourceClaims.includes(name)); break;
      case 'pv':
        for (const p of pods) for (const c of p.persistentVolumeClaims) if ((await g.persistentVolumeForClaim?.(p.namespace, c))?.name === name) found = true;
        break;
      case 'volumeattachment': found = ((await g.volumeAttachmentsOnNode?.(nodeName)) ?? []).includes(name); break;
      case 'resourceslice': found = ((await g.resourceSlicesOnNode?.(nodeName)) ?? []).includes(name); break;
    }
    return found ? undefined : `node '${nodeName}' cannot get ${type} ${namespace}/${name}, no relationship to this object was found in the node authorizer graph`;
  }

  /** node <- pod <- pvc <- pv <- secret. */
  private async pvSecretRelated(pods: Array<{ namespace: string; persistentVolumeClaims: string[] }>, namespace: string, name: string): Promise<boolean> {
    if (!this.graph.persistentVolumeForClaim) return false;
    for (const p of pods) for (const c of p.persistentVolumeClaims) {
      const pv = await this.graph.persistentVolumeForClaim(p.namespace, c);
      if (pv?.secrets.some((s) => s.namespace === namespace && s.name === name)) return true;
    }
    return false;
  }
}

/** Convenience constructor. */
export const newNodeAuthorizer = (graph: NodeGraphSource, opts?: NodeAuthorizerOptions): NodeAuthorizer => new NodeAuthorizer(graph, opts);
