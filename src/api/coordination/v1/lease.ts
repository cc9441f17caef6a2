/** coordination.k8s.io/v1 Lease: info and validation (coordination/validation). */
import type { KindDefinition } from '../../resource-info.js';
import { invalidValue } from '../../../machinery/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { LeaseSchema, type Lease } from './types.js';

export const leaseDefinition: KindDefinition<Lease> = {
  info: {
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', listKind: 'LeaseList', plural: 'leases', singular: 'lease', namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  },
  schema: LeaseSchema,
  applyDefaults() {},
  validate(l) {
    const errs = validateObjectMeta(l.metadata, true);
    const d = l.spec?.leaseDurationSeconds;
    if (d !== undefined && d <= 0) errs.push(invalidValue('spec.leaseDurationSeconds', d, 'must be greater than 0'));
    return errs;
  },
  validateUpdate: (l, old) => [...validateObjectMetaUpdate(l.metadata, old.metadata), ...leaseDefinition.validate(l)],
};
