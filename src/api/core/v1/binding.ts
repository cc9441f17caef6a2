/**
 * core/v1 Binding: not a stored resource, only the body of POST pods/{name}/binding
 * (the scheduler's bind); validation from core/validation ValidatePodBinding.
 */
import type { ResourceDefinition } from '../../resource-definition.js';
import { type FieldError, notSupported, required } from '../../../machinery/field-errors.js';
import { core } from './core-helpers.js';
import { BindingSchema, type Binding } from './types.js';

export const bindingDefinition: ResourceDefinition<Binding> = {
  info: core({ kind: 'Binding', plural: 'bindings', singular: 'binding', namespaced: true, verbs: ['create'] }),
  schema: BindingSchema,
  protobufMessage: 'k8s.io.api.core.v1.Binding',
  serving: 'request',
  applyDefaults() {},
  validate(b) {
    const errs: FieldError[] = [];
    if (!b.target?.name) errs.push(required('target.name'));
    if (b.target?.kind && b.target.kind !== 'Node') errs.push(notSupported('target.kind', b.target.kind, ['Node']));
    return errs;
  },
};
