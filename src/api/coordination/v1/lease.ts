/** coordination.k8s.io/v1 Lease: info and validation (coordination/validation). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { invalidValue } from '../../../machinery/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { LeaseSchema, type Lease } from './types.js';
import { leasePrinter } from '../../printers/printers.js';

export const leaseDefinition: ResourceDefinition<Lease> = {
  info: {
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', listKind: 'LeaseList', plural: 'leases', singular: 'lease', namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  },
  schema: LeaseSchema,
  protobufMessage: 'k8s.io.api.coordination.v1.Lease',
  printer: leasePrinter,
  applyDefaults() {},
  validate(l) {
    const errs = validateObjectMeta(l.metadata, true);
    const d = l.spec?.leaseDurationSeconds;
    if (d !== undefined && d <= 0) errs.push(invalidValue('spec.leaseDurationSeconds', d, 'must be greater than 0'));
    return errs;
  },
  validateUpdate: (l, old) => [...validateObjectMetaUpdate(l.metadata, old.metadata), ...leaseDefinition.validate(l)],
};
