/**
 * core/v1 ComponentStatus (deprecated in v1.19+, still served): computed on read by the
 * registry, never stored; `kubectl get componentstatuses` columns.
 */
import type { ResourceDefinition } from '../../resource-definition.js';
import { componentStatusPrinter } from '../../printers/printers.js';
import { core } from './core-helpers.js';
import { ComponentStatusSchema, type ComponentStatus } from './types.js';

export const componentStatusDefinition: ResourceDefinition<ComponentStatus> = {
  info: core({ kind: 'ComponentStatus', plural: 'componentstatuses', singular: 'componentstatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] }),
  schema: ComponentStatusSchema,
  protobufMessage: 'k8s.io.api.core.v1.ComponentStatus',
  serving: 'virtual',
  printer: componentStatusPrinter,
  applyDefaults() {},
  validate: () => [],
};
