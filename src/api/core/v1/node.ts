/** core/v1 Node: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { nodePrinter } from '../../printers/printers.js';
import { core, metaOnly } from './core-helpers.js';
import { NodeSchema, type Node } from './types.js';

export const nodeDefinition: ResourceDefinition<Node> = {
  info: core({ kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  schema: NodeSchema,
  protobufMessage: 'k8s.io.api.core.v1.Node',
  printer: nodePrinter,
  applyDefaults(node) { node.spec ??= {}; },
  ...metaOnly(false),
  fieldLabels: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
};

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
