/** Ingress (networking.k8s.io/v1; pkg/registry/networking/ingress): each path needs a pathType. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { ingressPrinter } from '../../printers/networking-printers.js';
import { notSupported, required } from '../../../machinery/field-errors.js';

/** networking.k8s.io/v1 Ingress as the code here reads it (the full shape is the wire contract's). */
export type Ingress = KubeObject & Record<string, any>;
type IngressRule = { http?: { paths?: Array<{ pathType?: string }> } };

export const ingressDefinition = defineResource<Ingress>({
  group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true, shortNames: ['ing'], subresources: ['status'],
  printer: ingressPrinter,
  validate: (ing) => ((ing.spec?.rules ?? []) as IngressRule[]).flatMap((r, i) => (r.http?.paths ?? []).flatMap((p, j) => (p.pathType && ['Exact', 'Prefix', 'ImplementationSpecific'].includes(p.pathType) ? [] : p.pathType ? [notSupported(`spec.rules[${i}].http.paths[${j}].pathType`, p.pathType, ['Exact', 'ImplementationSpecific', 'Prefix'])] : [required(`spec.rules[${i}].http.paths[${j}].pathType`)]))),
  strategy: { tracksGeneration: true },
});
