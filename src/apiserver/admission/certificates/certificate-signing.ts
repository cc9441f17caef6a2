/**
 * CertificateSigning admission (upstream plugin/pkg/admission/certificates/signing): an
 * update of certificatesigningrequests/status that changes status.certificate needs
 * `sign` on the CSR's signer; else 403 `user not permitted to sign requests with
 * signerName "<signer>"`.
 */
import { forbidden } from '../../../machinery/errors.js';
import type { Authorizer } from '../../authz/authorizer.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { authorizedForSigner } from './signer-authorization.js';

type Csr = { spec?: { signerName?: string }; status?: { certificate?: string } };

export const certificateSigning = (authorizer: Authorizer): AdmissionPlugin => ({
  name: 'CertificateSigning',
  async validate(a: AdmissionAttributes) {
    if (a.operation !== 'UPDATE' || a.subresource !== 'status' || a.resource.group !== 'certificates.k8s.io' || a.resource.plural !== 'certificatesigningrequests') return;
    const now = a.object as Csr | undefined;
    const old = a.oldObject as Csr | undefined;
    if ((now?.status?.certificate ?? '') === (old?.status?.certificate ?? '')) return;
    const signer = String(old?.spec?.signerName ?? '');
    if (await authorizedForSigner(authorizer, a.user, 'sign', signer)) return;
    throw forbidden(`certificatesigningrequests.certificates.k8s.io "${a.name}" is forbidden: user not permitted to sign requests with signerName "${signer}"`,
      { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name: a.name });
  },
});
