/** ReplicationController (core/v1; pkg/registry/core/replicationcontroller): the selector and labels default to the template labels; generation tracked. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { replicationControllerPrinter } from '../../printers/core-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';
import { defaultPodSpec, validatePodSpec } from './pod.js';
import { nonNegative } from '../../validation-helpers.js';

/** v1 ReplicationController as the code here reads it (the full shape is the wire contract's). */
export type ReplicationController = KubeObject & Record<string, any>;

export const replicationControllerDefinition = defineResource<ReplicationController>({
  group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true, shortNames: ['rc'], categories: ['all'], subresources: ['status', 'scale'],
  printer: replicationControllerPrinter,
  defaults(rc) {
    rc.spec ??= {};
    rc.spec.replicas ??= 1;
    const labels = rc.spec.template?.metadata?.labels;
    if (labels && !rc.spec.selector) rc.spec.selector = { ...labels };
    if (labels && !rc.metadata.labels) rc.metadata.labels = { ...labels };
    if (rc.spec.template?.spec) defaultPodSpec(rc.spec.template.spec);
  },
  validate: (rc) => [
    ...nonNegative('spec.replicas', rc.spec?.replicas),
    ...(rc.spec?.template && Object.entries((rc.spec.selector ?? {}) as Record<string, string>).some(([k, v]) => rc.spec.template.metadata?.labels?.[k] !== v)
      ? [invalidValue('spec.template.metadata.labels', rc.spec.template.metadata?.labels ?? {}, '`selector` does not match template `labels`')] : []),
    ...(rc.spec?.template ? validatePodSpec(rc.spec.template.spec, 'spec.template.spec') : [required('spec.template')]),
  ],
  strategy: { tracksGeneration: true },
});
