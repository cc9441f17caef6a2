/** core/v1 Endpoints: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { endpointsPrinter } from '../../printers/printers.js';
import { core, metaOnly } from './core-helpers.js';
import { EndpointsSchema, type Endpoints } from './types.js';

export const endpointsDefinition: ResourceDefinition<Endpoints> = {
  info: core({ kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] }),
  schema: EndpointsSchema,
  protobufMessage: 'k8s.io.api.core.v1.Endpoints',
  printer: endpointsPrinter, applyDefaults() {}, ...metaOnly(true),
};
