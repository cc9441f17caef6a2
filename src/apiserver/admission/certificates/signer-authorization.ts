/**
 * Whether a user holds a verb on a signer (upstream plugin/pkg/admission/certificates
 * IsAuthorizedForSignerName): `<verb>` on `signers` in certificates.k8s.io named after
 * the signer, or after its domain wildcard (`example.com/*` for `example.com/a`).
 */
import type { Authorizer } from '../../authz/authorizer.js';
import type { UserInfo } from '../../registry/rest.js';

export async function authorizedForSigner(authorizer: Authorizer, user: UserInfo, verb: 'approve' | 'sign', signerName: string): Promise<boolean> {
  const ask = async (name: string) => (await authorizer.authorize({ user, verb, resourceRequest: true, apiGroup: 'certificates.k8s.io', resource: 'signers', name })).decision === 'Allow';
  if (await ask(signerName)) return true;
  const slash = signerName.indexOf('/');
  return slash > 0 && ask(`${signerName.slice(0, slash)}/*`);
}
