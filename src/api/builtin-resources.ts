/**
 * The built-in kinds, one line each, in discovery order. Adding a built-in kind is one
 * module (`api/<group>/<version>/<kind>.ts`) and one line here.
 */
import { untyped, type ResourceDefinition } from './resource-definition.js';
import { ResourceTable } from './resource-table.js';
import { bindingDefinition } from './core/v1/binding.js';
import { componentStatusDefinition } from './core/v1/component-status.js';
import { configMapDefinition } from './core/v1/config-map.js';
import { endpointsDefinition } from './core/v1/endpoints.js';
import { eventDefinition } from './core/v1/event.js';
import { namespaceDefinition } from './core/v1/namespace.js';
import { nodeDefinition } from './core/v1/node.js';
import { podDefinition } from './core/v1/pod.js';
import { secretDefinition } from './core/v1/secret.js';
import { serviceAccountDefinition } from './core/v1/service-account.js';
import { serviceDefinition } from './core/v1/service.js';
import { deploymentDefinition, replicaSetDefinition } from './apps/v1/kinds.js';
import { leaseDefinition } from './coordination/v1/lease.js';

/** Every built-in definition (a new array each call). */
export function builtinResources(): ResourceDefinition[] {
  return [
    untyped(namespaceDefinition),
    untyped(podDefinition),
    untyped(bindingDefinition),
    untyped(nodeDefinition),
    untyped(serviceDefinition),
    untyped(endpointsDefinition),
    untyped(configMapDefinition),
    untyped(secretDefinition),
    untyped(serviceAccountDefinition),
    untyped(eventDefinition),
    untyped(componentStatusDefinition),
    untyped(deploymentDefinition),
    untyped(replicaSetDefinition),
    untyped(leaseDefinition),
  ];
}

/** A new table holding the built-in kinds (each server or client gets its own, so run-time kinds don't leak). */
export const builtinResourceTable = (): ResourceTable => new ResourceTable(builtinResources());
