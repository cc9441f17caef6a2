/** core/v1 Endpoints: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import { invalidValue } from '../../../machinery/field-errors.js';
import type { ResourceDefinition } from '../../resource-definition.js';
import { endpointsPrinter } from '../../printers/printers.js';
import { core, isIP, metaOnly } from './core-helpers.js';
import { EndpointsSchema, type Endpoints } from './types.js';

export const endpointsDefinition: ResourceDefinition<Endpoints> = {
  info: core({ kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] }),
  schema: EndpointsSchema,
  protobufMessage: 'k8s.io.api.core.v1.Endpoints',
  printer: endpointsPrinter, applyDefaults() {}, ...metaOnly<Endpoints>(true, undefined, (ep) => (ep.subsets ?? []).flatMap((ss, i) =>
    ((ss.addresses ?? []) as Array<{ ip?: string }>).flatMap((a, j) => (a.ip && isIP(a.ip) ? [] : [invalidValue(`subsets[${i}].addresses[${j}].ip`, a.ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')])))),
};
