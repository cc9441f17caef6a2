/** ControllerRevision (apps/v1): an immutable snapshot of a DaemonSet or StatefulSet template. */
import { nonNegative } from '../../validation-helpers.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { controllerRevisionPrinter } from '../../printers/apps-printers.js';
import { invalidValue } from '../../../machinery/field-errors.js';

/** apps/v1 ControllerRevision as the code here reads it (the full shape is the wire contract's). */
export type ControllerRevision = KubeObject & Record<string, any>;

export const controllerRevisionDefinition = defineResource<ControllerRevision>({
  group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true,
  printer: controllerRevisionPrinter,
  validate: (cr) => nonNegative('revision', cr.revision),
  validateUpdate: (cr, old) => (JSON.stringify(cr.data ?? null) !== JSON.stringify(old.data ?? null) ? [invalidValue('data', '', 'field is immutable')] : []),
});
