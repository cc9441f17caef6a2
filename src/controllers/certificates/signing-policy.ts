/**
 * What each built-in signer accepts (upstream pkg/controller/certificates/signer and the
 * signer descriptions of https://kubernetes.io/docs/reference/access-authn-authz/
 * certificate-signing-requests/#kubernetes-signers):
 * - `kubernetes.io/kube-apiserver-client`: any subject; usages among digital signature,
 *   key encipherment, client auth, with client auth;
 * - `kubernetes.io/kube-apiserver-client-kubelet`: O exactly `system:nodes`, CN
 *   `system:node:<name>`, no SANs; usages among digital signature, key encipherment,
 *   client auth, with client auth;
 * - `kubernetes.io/kubelet-serving`: O exactly `system:nodes`, CN `system:node:<name>`,
 *   DNS or IP SANs only (at least one); usages among digital signature, key
 *   encipherment, server auth, with server auth.
 */
import type { CertificateRequestInfo } from '../../pki/certificate-request.js';

/** The signers the controller signs for. */
export const BUILTIN_SIGNERS = ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving'];

const usageProblem = (usages: string[], allowed: string[], needed: string, kind: string): string | undefined => {
  const bad = usages.filter((u) => !allowed.includes(u));
  if (bad.length) return `invalid usage for ${kind} certificate: ${bad.join(', ')}`;
  if (!usages.includes(needed)) return `missing required usage for ${kind} certificate: ${needed}`;
  return undefined;
};

const nodeSubjectProblem = (r: CertificateRequestInfo): string | undefined => {
  if (r.organizations.length !== 1 || r.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  if (!r.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  return undefined;
};

/** Why `signer` refuses this request with these usages, or undefined when it signs. */
export function signerRefusal(signer: string, r: CertificateRequestInfo, usages: string[]): string | undefined {
  if (!r.signatureValid) return 'the certificate request signature does not verify';
  switch (signer) {
    case 'kubernetes.io/kube-apiserver-client':
      return usageProblem(usages, ['digital signature', 'key encipherment', 'client auth'], 'client auth', 'client');
    case 'kubernetes.io/kube-apiserver-client-kubelet':
      if (r.dnsNames.length || r.ipAddresses.length || r.emailAddresses.length || r.uris.length) return 'subject alternative names are not allowed';
      return nodeSubjectProblem(r) ?? usageProblem(usages, ['digital signature', 'key encipherment', 'client auth'], 'client auth', 'client');
    case 'kubernetes.io/kubelet-serving':
      if (r.emailAddresses.length || r.uris.length) return 'email and URI subject alternative names are not allowed';
      if (!r.dnsNames.length && !r.ipAddresses.length) return 'at least one DNS or IP subject alternative name is required';
      return nodeSubjectProblem(r) ?? usageProblem(usages, ['digital signature', 'key encipherment', 'server auth'], 'server auth', 'serving');
    default:
      return `unknown signer ${signer}`;
  }
}
