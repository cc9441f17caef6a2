/**
 * CertificateApproval admission (upstream plugin/pkg/admission/certificates/approval):
 * an update of certificatesigningrequests/approval needs `approve` on the CSR's signer
 * (signer-authorization.ts); else 403 `user not permitted to approve requests with
 * signerName "<signer>"`.
 */
import { forbidden } from '../../../machinery/errors.js';
import type { Authorizer } from '../../authz/authorizer.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { authorizedForSigner } from './signer-authorization.js';

export const certificateApproval = (authorizer: Authorizer): AdmissionPlugin => ({
  name: 'CertificateApproval',
  async validate(a: AdmissionAttributes) {
    if (a.operation !== 'UPDATE' || a.subresource !== 'approval' || a.resource.group !== 'certificates.k8s.io' || a.resource.plural !== 'certificatesigningrequests') return;
    const signer = String((a.oldObject as { spec?: { signerName?: string } } | undefined)?.spec?.signerName ?? '');
    if (await authorizedForSigner(authorizer, a.user, 'approve', signer)) return;
    throw forbidden(`certificatesigningrequests.certificates.k8s.io "${a.name}" is forbidden: user not permitted to approve requests with signerName "${signer}"`,
      { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name: a.name });
  },
});
