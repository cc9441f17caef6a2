/** EndpointSlice (discovery.k8s.io/v1): a slice of a Service's endpoints; addressType is required and immutable. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { endpointSlicePrinter } from '../../printers/discovery-printers.js';
import { invalidValue, notSupported } from '../../../machinery/field-errors.js';

/** discovery.k8s.io/v1 EndpointSlice as the code here reads it (the full shape is the wire contract's). */
export type EndpointSlice = KubeObject & Record<string, any>;

export const endpointSliceDefinition = defineResource<EndpointSlice>({
  group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true,
  printer: endpointSlicePrinter,
  validate: (s) => (['IPv4', 'IPv6', 'FQDN'].includes(s.addressType ?? '') ? [] : [notSupported('addressType', s.addressType ?? '', ['FQDN', 'IPv4', 'IPv6'])]),
  validateUpdate: (s, old) => (s.addressType !== old.addressType ? [invalidValue('addressType', s.addressType ?? '', 'field is immutable')] : []),
});
