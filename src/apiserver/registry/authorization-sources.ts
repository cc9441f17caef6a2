/**
 * What the RBAC and Node authorizers read, served from the apiserver's own storage (the
 * watch cache for lists), as upstream's authorizers read informer caches: roles and
 * bindings by name and namespace, and the node graph (pods bound to a node with what
 * they reference, PersistentVolumes by claim).
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceDefinition } from '../../api/resource-definition.js';
import type { ResourceTable } from '../../api/resource-table.js';
import type { RbacSource } from '../authz/rbac/rbac-source.js';
import { persistentVolumeForClaim, podRefs, type NodeGraphSource } from '../authz/node/graph-source.js';

/** Reads of stored objects: one by name (undefined when absent), and a namespace's or all ('') from the cache. */
export interface StoredObjects {
  get(def: ResourceDefinition | undefined, name: string, namespace?: string): Promise<KubeObject | undefined>;
  list(def: ResourceDefinition | undefined, namespace: string): Promise<KubeObject[]>;
  /** A counter that moves when objects of any of `defs` change (change-generation.ts); absent: every read goes to the cache. */
  generation?(defs: ResourceDefinition[]): () => number;
}

type Any = Record<string, any>;

/** The RBAC source and node graph over `objects`. */
export function storedAuthorizationSources(table: ResourceTable, objects: StoredObjects): { rbac: RbacSource; nodeGraph: NodeGraphSource } {
  const rbac = (plural: string) => table.get('rbac.authorization.k8s.io', 'v1', plural);
  const core = (plural: string) => table.get('', 'v1', plural);
  const rbacDefs = ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings'].map(rbac).filter((d): d is ResourceDefinition => !!d);
  // Started on first use: the stores are not all built while the sources are made.
  let counter: (() => number) | undefined;
  const generation = objects.generation ? () => (counter ??= objects.generation!(rbacDefs))() : undefined;
  const podsOn = async (node: string) => (await objects.list(core('pods'), '')).filter((p) => (p as Any).spec?.nodeName === node);
  return {
    rbac: {
      clusterRole: (name) => objects.get(rbac('clusterroles'), name) as never,
      role: (ns, name) => objects.get(rbac('roles'), name, ns) as never,
      clusterRoleBindings: () => objects.list(rbac('clusterrolebindings'), '') as never,
      roleBindings: (ns) => objects.list(rbac('rolebindings'), ns) as never,
      ...(generation ? { generation } : {}),
    },
    nodeGraph: {
      nodeExists: async (n) => !!(await objects.get(core('nodes'), n)) || (await podsOn(n)).length > 0,
      podsOnNode: async (n) => (await podsOn(n)).map(podRefs),
      persistentVolumeForClaim: async (ns, claim) => persistentVolumeForClaim(await objects.list(core('persistentvolumes'), ''), ns, claim),
    },
  };
}
