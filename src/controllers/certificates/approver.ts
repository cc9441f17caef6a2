/**
 * The CSR approving controller (upstream pkg/controller/certificates/approver,
 * sarapprove.go; the controller manager's `csrapproving`): a pending
 * CertificateSigningRequest for `kubernetes.io/kube-apiserver-client-kubelet` that is a
 * node client certificate request (O exactly system:nodes, CN `system:node:<name>`, no
 * SANs, usages digital signature and/or key encipherment plus client auth) is approved
 * when a SubjectAccessReview says its requestor may `create`
 * `certificatesigningrequests/selfnodeclient` (the requestor is the node the CN names:
 * renewal) or `certificatesigningrequests/nodeclient` (anyone else: a bootstrap token
 * joining a node). Other requests are left for a person or another approver.
 */
import { QueueController } from '../controller.js';
import type { Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import type { KubeObject } from '../../api/object.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import { certificateSigningRequestDefinition, hasCondition, requestOf, type CertificateSigningRequest } from '../../api/certificates/v1/certificate-signing-request.js';
import type { CertificateRequestInfo } from '../../pki/certificate-request.js';
import { rfc3339 } from '../../machinery/time.js';
import { isConflict, isNotFound } from '../../machinery/errors.js';

const CSRS = refOf(untyped(certificateSigningRequestDefinition));
const SUBJECT_ACCESS_REVIEWS = { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews' };
const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';

/** Whether the request and usages are a node client certificate request (upstream isNodeClientCert). */
export function isNodeClientCert(r: CertificateRequestInfo, usages: string[]): boolean {
  if (r.organizations.length !== 1 || r.organizations[0] !== 'system:nodes') return false;
  if (r.dnsNames.length || r.ipAddresses.length || r.emailAddresses.length || r.uris.length) return false;
  if (!r.commonName.startsWith('system:node:')) return false;
  const allowed = new Set(['digital signature', 'key encipherment', 'client auth']);
  return usages.includes('client auth') && usages.every((u) => allowed.has(u));
}

export class CsrApprovingController extends QueueController {
  private readonly csrs: SharedIndexInformer<CertificateSigningRequest>;

  constructor(private readonly client: Client, informers: SharedInformerFactory) {
    super('csrapproving', informers);
    this.csrs = informers.forResource<CertificateSigningRequest>(CSRS);
    this.csrs.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
  }

  protected async sync(name: string): Promise<void> {
    const csr = this.csrs.lister.get(name);
    if (!csr || csr.spec?.signerName !== KUBELET_CLIENT_SIGNER || hasCondition(csr, 'Approved') || hasCondition(csr, 'Denied') || csr.status?.certificate) return;
    const info = await requestOf(csr).catch(() => undefined);
    if (!info || !isNodeClientCert(info, csr.spec?.usages ?? [])) return;
    const self = csr.spec?.username === info.commonName;
    const subresource = self ? 'selfnodeclient' : 'nodeclient';
    const review = await this.client.resource(SUBJECT_ACCESS_REVIEWS).create<KubeObject & { status?: { allowed?: boolean } }>({
      apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', metadata: {},
      spec: {
        user: csr.spec?.username, groups: csr.spec?.groups, ...(csr.spec?.uid ? { uid: csr.spec.uid } : {}), ...(csr.spec?.extra ? { extra: csr.spec.extra } : {}),
        resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource },
      },
    } as KubeObject);
    if (!review.status?.allowed) return;
    const now = rfc3339();
    const next = structuredClone(csr);
    next.status = { ...(next.status ?? {}), conditions: [...(next.status?.conditions ?? []), {
      type: 'Approved', status: 'True', reason: 'AutoApproved',
      message: self ? 'Auto approving self kubelet client certificate after SubjectAccessReview.' : 'Auto approving kubelet client certificate after SubjectAccessReview.',
      lastUpdateTime: now, lastTransitionTime: now,
    }] };
    await this.client.resource<CertificateSigningRequest>(CSRS).update(next, { subresource: 'approval' }).catch((err) => {
      if (isConflict(err)) throw err; // the informer will bring the newer one; retry
      if (!isNotFound(err)) throw err;
    });
  }
}
