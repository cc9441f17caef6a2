/**
 * CustomResourceDefinition (apiextensions.k8s.io/v1; upstream apiextensions-apiserver
 * pkg/apis/apiextensions/v1/defaults.go, pkg/registry/customresourcedefinition/strategy.go,
 * validation in custom-resource-definition-validation.ts). Cluster-scoped, `crd`,
 * category `api-extensions`, with a status subresource. The wire contract is the
 * hand-written proto/apiextensions-v1.proto (extension-descriptors.json).
 *
 * Defaults: names.singular = lower-case kind, names.listKind = kind + `List`,
 * conversion = {strategy: None}, webhook service port 443, status.storedVersions = the
 * storage version. Strategy: status is cleared on create (acceptedNames empty) and kept
 * on update; the storage version is added to status.storedVersions; generation counts
 * spec changes. Serving the custom resources and the NamesAccepted/Established
 * conditions belong to a controller that is not part of this module.
 */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { customResourceDefinitionPrinter } from '../../printers/apiextensions-printers.js';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from './custom-resource-definition-validation.js';

/** apiextensions.k8s.io/v1 CustomResourceDefinition as the code here reads it (the full shape is the wire contract's). */
export type CustomResourceDefinition = KubeObject & Record<string, any>;

export const APIEXTENSIONS_V1 = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

/** upstream SetDefaults_CustomResourceDefinition(Spec) and SetDefaults_ServiceReference. */
export function defaultCustomResourceDefinition(crd: CustomResourceDefinition): void {
  const spec = (crd.spec ??= {});
  const names = (spec.names ??= {});
  if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
  if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
  spec.conversion ??= { strategy: 'None' };
  const svc = spec.conversion?.webhook?.clientConfig?.service;
  if (svc && typeof svc === 'object') svc.port ??= 443;
  const status = (crd.status ??= {});
  if (!Array.isArray(status.storedVersions) || status.storedVersions.length === 0) {
    const storage = (Array.isArray(spec.versions) ? spec.versions : []).find((v: any) => v?.storage === true);
    if (storage) status.storedVersions = [storage.name];
  }
}

/** Adds the storage version to status.storedVersions (strategy PrepareForCreate/Update). */
function recordStorageVersion(crd: CustomResourceDefinition): void {
  const storage = (Array.isArray(crd.spec?.versions) ? crd.spec.versions : []).find((v: any) => v?.storage === true);
  if (!storage) return;
  crd.status ??= {};
  const stored: string[] = Array.isArray(crd.status.storedVersions) ? crd.status.storedVersions : [];
  if (!stored.includes(storage.name)) crd.status.storedVersions = [...stored, storage.name];
}

export const customResourceDefinitionDefinition = defineResource<CustomResourceDefinition>({
  group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false,
  shortNames: ['crd'], categories: ['api-extensions'], subresources: ['status'],
  protobufMessage: `${APIEXTENSIONS_V1}.CustomResourceDefinition`,
  printer: customResourceDefinitionPrinter,
  defaults: defaultCustomResourceDefinition,
  validate: (crd) => validateCustomResourceDefinition(crd),
  validateUpdate: (crd, old) => validateCustomResourceDefinitionUpdate(crd, old),
  strategy: {
    tracksGeneration: true,
    prepareForCreate(crd) {
      crd.status = { acceptedNames: { plural: '', kind: '' } };
      recordStorageVersion(crd);
    },
    prepareForUpdate(crd, old) {
      if (old.status === undefined) delete crd.status; else crd.status = structuredClone(old.status);
      recordStorageVersion(crd);
    },
  },
});
