/**
 * CertificateSigningRequest (certificates.k8s.io/v1; upstream pkg/registry/certificates
 * and pkg/apis/certificates/validation): the requestor (spec.username, uid, groups,
 * extra) is the creating user; the main resource changes metadata only, `approval`
 * only the conditions, `status` the certificate and the other conditions. Approved,
 * Denied and Failed conditions, once set, are neither removed nor changed; an issued
 * certificate is immutable.
 */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { certificateSigningRequestPrinter } from '../../printers/certificates-printers.js';
import { duplicate, forbiddenField, type FieldError, invalidValue, notSupported, required } from '../../../machinery/field-errors.js';
import { certificateBundlePemError, certificateRequestPemError, parseCertificateRequest, type CertificateRequestInfo } from '../../../pki/certificate-request.js';
import { rfc3339 } from '../../../machinery/time.js';

/** certificates.k8s.io/v1 CertificateSigningRequest as the code here reads it (the full shape is the wire contract's). */
export type CertificateSigningRequest = KubeObject & Record<string, any>;

/** certificates.k8s.io/v1 KeyUsage values. */
export const KEY_USAGES = ['signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment', 'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing', 'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing', 'microsoft sgc', 'netscape sgc'];

/** Condition types that, once present, stay as they are. */
const FINAL_CONDITIONS = ['Approved', 'Denied', 'Failed'];

const decoded = (b64: unknown): string => (typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('latin1') : '');

/** Whether the CSR has a condition of `type` with status True. */
export function hasCondition(csr: CertificateSigningRequest, type: string): boolean {
  return ((csr.status?.conditions ?? []) as Array<{ type?: string; status?: string }>).some((c) => c.type === type && c.status === 'True');
}

/** The PKCS#10 request of `spec.request` (base64 PEM), parsed and its signature checked. @throws Error when it does not parse. */
export function requestOf(csr: CertificateSigningRequest): Promise<CertificateRequestInfo> {
  return parseCertificateRequest(decoded(csr.spec?.request));
}

function validateSpec(csr: CertificateSigningRequest): FieldError[] {
  const spec = csr.spec ?? {};
  const errs: FieldError[] = [];
  if (!spec.request) errs.push(required('spec.request'));
  else {
    const why = certificateRequestPemError(decoded(spec.request));
    if (why) errs.push(invalidValue('spec.request', spec.request, why));
  }
  if (!spec.signerName) errs.push(required('spec.signerName'));
  else if (spec.signerName === 'kubernetes.io/legacy-unknown') errs.push(invalidValue('spec.signerName', spec.signerName, 'the legacy signerName is not allowed via this API version'));
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[^/]+$/.test(spec.signerName)) {
    errs.push(invalidValue('spec.signerName', spec.signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
  }
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && spec.expirationSeconds < 600) {
    errs.push(invalidValue('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  const usages: unknown[] = Array.isArray(spec.usages) ? spec.usages : [];
  if (!usages.length) errs.push(required('spec.usages'));
  const seen = new Set<unknown>();
  usages.forEach((u, i) => {
    if (!KEY_USAGES.includes(u as string)) errs.push(notSupported(`spec.usages[${i}]`, u, KEY_USAGES));
    else if (seen.has(u)) errs.push(duplicate(`spec.usages[${i}]`, u));
    seen.add(u);
  });
  return errs;
}

function validateStatus(csr: CertificateSigningRequest): FieldError[] {
  const errs: FieldError[] = [];
  const conditions: Array<Record<string, unknown>> = Array.isArray(csr.status?.conditions) ? csr.status.conditions : [];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    const f = `status.conditions[${i}]`;
    if (!c.type) { errs.push(required(`${f}.type`)); return; }
    const type = String(c.type);
    if (type === 'Approved' || type === 'Denied') {
      if (c.status !== 'True') errs.push(notSupported(`${f}.status`, c.status ?? '', ['True']));
    } else if (!['True', 'False', 'Unknown'].includes(String(c.status))) errs.push(notSupported(`${f}.status`, c.status ?? '', ['False', 'True', 'Unknown']));
    if (FINAL_CONDITIONS.includes(type) && seen.has(type)) errs.push(duplicate(`${f}.type`, type));
    seen.add(type);
  });
  if (seen.has('Approved') && seen.has('Denied')) errs.push(invalidValue('status.conditions', conditions, 'Approved and Denied conditions are mutually exclusive'));
  if (csr.status?.certificate) {
    const why = certificateBundlePemError(decoded(csr.status.certificate));
    if (why) errs.push(invalidValue('status.certificate', '<certificate data>', why));
  }
  return errs;
}

function validateUpdate(csr: CertificateSigningRequest, old: CertificateSigningRequest): FieldError[] {
  const errs = [...validateSpec(csr), ...validateStatus(csr)];
  const now: Array<Record<string, unknown>> = csr.status?.conditions ?? [];
  for (const c of (old.status?.conditions ?? []) as Array<Record<string, unknown>>) {
    if (!FINAL_CONDITIONS.includes(String(c.type))) continue;
    const same = now.find((n) => n.type === c.type);
    if (!same) errs.push(forbiddenField('status.conditions', `updates may not remove a condition of type "${String(c.type)}"`));
    else if (same.status !== c.status || same.reason !== c.reason || same.message !== c.message) errs.push(forbiddenField('status.conditions', `updates may not modify a condition of type "${String(c.type)}"`));
  }
  if (old.status?.certificate && csr.status?.certificate !== old.status.certificate) errs.push(forbiddenField('status.certificate', 'updates may not modify existing certificate content'));
  return errs;
}

export const certificateSigningRequestDefinition = defineResource<CertificateSigningRequest>({
  group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests', namespaced: false, shortNames: ['csr'], subresources: ['status', 'approval'],
  printer: certificateSigningRequestPrinter,
  validate: (csr) => validateSpec(csr),
  validateUpdate,
  fieldLabels: (csr) => ({ 'spec.signerName': csr.spec?.signerName ?? '' }),
  strategy: {
    prepareForCreate(csr, _deps, user) {
      delete csr.status;
      const spec = (csr.spec ??= {});
      for (const k of ['username', 'uid', 'groups', 'extra']) delete spec[k];
      if (!user) return;
      spec.username = user.username;
      if (user.uid) spec.uid = user.uid;
      if (user.groups.length) spec.groups = [...user.groups];
      if (user.extra && Object.keys(user.extra).length) spec.extra = structuredClone(user.extra);
    },
    prepareForUpdate(csr, old) {
      csr.spec = old.spec;
      if (old.status === undefined) delete csr.status; else csr.status = old.status;
    },
  },
});

/** The `approval` subresource's update: everything but status.conditions comes from the stored object (upstream approvalStrategy.PrepareForUpdate). */
export function prepareApprovalUpdate(csr: KubeObject, old: KubeObject): void {
  const conditions = (csr as CertificateSigningRequest).status?.conditions;
  const rv = csr.metadata.resourceVersion;
  for (const key of Object.keys(csr)) if (key !== 'apiVersion' && key !== 'kind') delete csr[key];
  Object.assign(csr, structuredClone(old));
  csr.metadata.resourceVersion = rv;
  const status = ((csr as CertificateSigningRequest).status ??= {});
  const stamp = rfc3339();
  if (!Array.isArray(conditions)) delete status.conditions;
  else status.conditions = conditions.map((c: Record<string, unknown>) => ({ ...c, lastUpdateTime: c.lastUpdateTime ?? stamp, lastTransitionTime: c.lastTransitionTime ?? stamp }));
}
