/**
 * APIService (apiregistration.k8s.io/v1; upstream kube-aggregator
 * pkg/apis/apiregistration/v1/defaults.go, validation/validation.go and
 * pkg/registry/apiservice/strategy.go). Cluster-scoped, category `api-extensions`, with
 * a status subresource. The name must be `<version>.<group>`; a service reference
 * (port defaulted to 443) or none for a local API; group/version priorities in range.
 * The Available condition is set by the aggregator's availability controller, which is
 * not part of this module. The wire contract is the hand-written
 * proto/apiregistration-v1.proto (extension-descriptors.json).
 */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { apiServicePrinter } from '../../printers/apiextensions-printers.js';
import { invalidValue, notSupported, required, type FieldError } from '../../../machinery/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../../machinery/validation.js';

/** apiregistration.k8s.io/v1 APIService as the code here reads it (the full shape is the wire contract's). */
export type APIService = KubeObject & Record<string, any>;

/** apimachinery path.IsValidPathSegmentName. */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** upstream ValidateAPIService (after ObjectMeta, which checks the path-segment rule). */
export function validateAPIService(svc: APIService): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const group = typeof spec.group === 'string' ? spec.group : '';
  const version = typeof spec.version === 'string' ? spec.version : '';
  const name = String(svc.metadata?.name ?? '');
  const requiredName = `${version}.${group}`;
  if (name && pathSegmentNameErrors(name).length === 0 && name !== requiredName) {
    errs.push(invalidValue('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(requiredName)}`));
  }
  if (!group && version !== 'v1') errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group) for (const m of isDNS1123Subdomain(group)) errs.push(invalidValue('spec.group', group, m));
  for (const m of isDNS1035Label(version)) errs.push(invalidValue('spec.version', version, m));
  const gpm = Number(spec.groupPriorityMinimum ?? 0);
  if (gpm <= 0 || gpm > 20000) errs.push(invalidValue('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  const vp = Number(spec.versionPriority ?? 0);
  if (vp <= 0 || vp > 1000) errs.push(invalidValue('spec.versionPriority', vp, 'must be positive and less than 1000'));
  const caBundle = typeof spec.caBundle === 'string' ? Buffer.from(spec.caBundle, 'base64') : Buffer.alloc(0);
  const service = spec.service;
  if (service === undefined || service === null) {
    if (caBundle.length) errs.push(invalidValue('spec.caBundle', `${caBundle.length} bytes`, 'local APIServices may not have a caBundle'));
    if (spec.insecureSkipTLSVerify === true) errs.push(invalidValue('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return errs;
  }
  if (!service.namespace) errs.push(required('spec.service.namespace', ''));
  if (!service.name) errs.push(required('spec.service.name', ''));
  const port = Number(service.port ?? 0);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errs.push(invalidValue('spec.service.port', port, 'port is not valid: must be between 1 and 65535, inclusive'));
  if (spec.insecureSkipTLSVerify === true && caBundle.length) errs.push(invalidValue('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  return errs;
}

/** upstream ValidateAPIServiceStatus. */
export function validateAPIServiceStatus(svc: APIService): FieldError[] {
  const errs: FieldError[] = [];
  (Array.isArray(svc.status?.conditions) ? svc.status.conditions : []).forEach((c: any, i: number) => {
    const p = `status.conditions[${i}]`;
    if (!['True', 'False', 'Unknown'].includes(c?.status)) errs.push(notSupported(`${p}.status`, c?.status ?? '', ['True', 'False', 'Unknown']));
    if (!c?.type) errs.push(required(`${p}.type`, ''));
  });
  return errs;
}

export const apiServiceDefinition = defineResource<APIService>({
  group: 'apiregistration.k8s.io', version: 'v1', kind: 'APIService', plural: 'apiservices', namespaced: false,
  categories: ['api-extensions'], subresources: ['status'],
  protobufMessage: 'k8s.io.kube_aggregator.pkg.apis.apiregistration.v1.APIService',
  nameRule: pathSegmentNameErrors,
  printer: apiServicePrinter,
  defaults(svc) {
    const service = svc.spec?.service;
    if (service && typeof service === 'object') service.port ??= 443;
  },
  validate: (svc) => [...validateAPIService(svc), ...validateAPIServiceStatus(svc)],
  strategy: {
    prepareForCreate(svc) { delete svc.status; },
  },
});
