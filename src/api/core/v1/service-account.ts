/** core/v1 ServiceAccount: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { serviceAccountPrinter } from '../../printers/printers.js';
import { core, metaOnly } from './core-helpers.js';
import { ServiceAccountSchema, type ServiceAccount } from './types.js';

export const serviceAccountDefinition: ResourceDefinition<ServiceAccount> = {
  info: core({ kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'], subresources: ['token'] }),
  schema: ServiceAccountSchema,
  protobufMessage: 'k8s.io.api.core.v1.ServiceAccount',
  printer: serviceAccountPrinter, applyDefaults() {}, ...metaOnly(true),
};
