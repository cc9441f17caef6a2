/**
 * The explicit list of every kind the apiserver serves (no self-registration): the
 * registry, discovery and OpenAPI all derive from it.
 */
import type { KindDefinition } from './resource-info.js';
import { podDefinition } from './core/v1/pod.js';
import {
  bindingDefinition, componentStatusDefinition, configMapDefinition, endpointsDefinition, eventDefinition, namespaceDefinition, nodeDefinition,
  secretDefinition, serviceAccountDefinition, serviceDefinition,
} from './core/v1/kinds.js';
import { deploymentDefinition, replicaSetDefinition } from './apps/v1/kinds.js';
import { leaseDefinition } from './coordination/v1/lease.js';

/** Stored resources, in discovery order. */
export const kinds: KindDefinition[] = [
  namespaceDefinition, podDefinition, nodeDefinition, serviceDefinition, endpointsDefinition, configMapDefinition,
  secretDefinition, serviceAccountDefinition, eventDefinition, deploymentDefinition, replicaSetDefinition, leaseDefinition,
] as unknown as KindDefinition[];

/** Non-stored request kinds (subresource bodies). */
export const requestKinds = { binding: bindingDefinition as unknown as KindDefinition };

/** Served but computed on read, not stored (the registry builds their storage itself). */
export const virtualKinds: KindDefinition[] = [componentStatusDefinition as unknown as KindDefinition];

/** The kind serving `group`/`resource` (plural), if any. */
export const findKind = (group: string, resource: string): KindDefinition | undefined =>
  kinds.find((k) => k.info.group === group && k.info.plural === resource);

/** The kind named `kind` in `group`, if any. */
export const findKindByKind = (group: string, kind: string): KindDefinition | undefined =>
  kinds.find((k) => k.info.group === group && k.info.kind === kind);
