/** PodTemplate (core/v1): a stored pod template. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { podTemplatePrinter } from '../../printers/core-printers.js';
import { defaultPodSpec } from './pod.js';

/** v1 PodTemplate as the code here reads it (the full shape is the wire contract's). */
export type PodTemplate = KubeObject & Record<string, any>;

export const podTemplateDefinition = defineResource<PodTemplate>({
  group: '', version: 'v1', kind: 'PodTemplate', plural: 'podtemplates', namespaced: true,
  printer: podTemplatePrinter,
  defaults(pt) { if (pt.template?.spec) defaultPodSpec(pt.template.spec); },
});
