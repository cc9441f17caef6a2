/**
 * CertificateSubjectRestriction admission (upstream plugin/pkg/admission/certificates/
 * subjectrestriction): a CSR for the `kubernetes.io/kube-apiserver-client` signer may
 * not ask for the `system:masters` group; 403 `use of kubernetes.io/kube-apiserver-client
 * signer with system:masters group is not allowed`. Unparsable requests are left to
 * validation.
 */
import { forbidden } from '../../../machinery/errors.js';
import { requestOf, type CertificateSigningRequest } from '../../../api/certificates/v1/certificate-signing-request.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';

export const certificateSubjectRestriction = (): AdmissionPlugin => ({
  name: 'CertificateSubjectRestriction',
  async validate(a: AdmissionAttributes) {
    if (a.operation !== 'CREATE' || a.subresource || a.resource.group !== 'certificates.k8s.io' || a.resource.plural !== 'certificatesigningrequests') return;
    const spec = (a.object as { spec?: { signerName?: string; request?: string } } | undefined)?.spec;
    if (spec?.signerName !== 'kubernetes.io/kube-apiserver-client' || typeof spec.request !== 'string') return;
    const info = await requestOf(a.object as CertificateSigningRequest).catch(() => undefined);
    if (!info?.organizations.includes('system:masters')) return;
    throw forbidden(`certificatesigningrequests.certificates.k8s.io "${a.name}" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed`,
      { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name: a.name });
  },
});
