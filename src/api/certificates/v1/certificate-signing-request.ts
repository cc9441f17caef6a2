/** CertificateSigningRequest (certificates.k8s.io/v1; pkg/registry/certificates): request and signerName are required; approval and status are subresources. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { certificateSigningRequestPrinter } from '../../printers/certificates-printers.js';
import { invalidValue, required } from '../../../machinery/field-errors.js';

/** certificates.k8s.io/v1 CertificateSigningRequest as the code here reads it (the full shape is the wire contract's). */
export type CertificateSigningRequest = KubeObject & Record<string, any>;

export const certificateSigningRequestDefinition = defineResource<CertificateSigningRequest>({
  group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests', namespaced: false, shortNames: ['csr'], subresources: ['status', 'approval'],
  printer: certificateSigningRequestPrinter,
  validate: (csr) => [
    ...(csr.spec?.request ? [] : [required('spec.request')]),
    ...(!csr.spec?.signerName ? [required('spec.signerName')]
      : /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/[^/]+$/.test(csr.spec.signerName) ? []
        : [invalidValue('spec.signerName', csr.spec.signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")]),
    ...(csr.spec?.expirationSeconds !== undefined && csr.spec.expirationSeconds < 600
      ? [invalidValue('spec.expirationSeconds', csr.spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)')] : []),
  ],
  strategy: { prepareForCreate(csr) { delete csr.status; } },
});
