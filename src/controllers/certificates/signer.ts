/**
 * The CSR signing controller (upstream pkg/controller/certificates/signer, the
 * controller manager's `csrsigning` with --cluster-signing-cert-file/-key-file): an
 * Approved, not Failed, not yet issued CertificateSigningRequest of a built-in signer
 * (signing-policy.ts) gets a certificate from the cluster CA in status.certificate; a
 * request the signer refuses gets a `Failed` condition (reason SignerValidationFailure).
 * Validity: from 5 minutes ago (clock skew, as upstream's backdating) to
 * min(spec.expirationSeconds, the signing duration, default 1 year).
 */
import { QueueController } from '../controller.js';
import type { Client } from '../../client/interface.js';
import type { SharedIndexInformer, SharedInformerFactory } from '../../client/informers/types.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import { certificateSigningRequestDefinition, hasCondition, requestOf, type CertificateSigningRequest } from '../../api/certificates/v1/certificate-signing-request.js';
import { issueFromRequest } from '../../pki/certificate-request.js';
import { rfc3339 } from '../../machinery/time.js';
import { isNotFound } from '../../machinery/errors.js';
import { BUILTIN_SIGNERS, signerRefusal } from './signing-policy.js';

const CSRS = refOf(untyped(certificateSigningRequestDefinition));

export interface SigningAuthority {
  /** The CA's PEM certificate and private key (RSA). */
  certPem: string;
  keyPem: string;
  /** Longest validity in seconds (upstream --cluster-signing-duration); default 31 536 000 (1 year). */
  maxDurationSeconds?: number;
}


export class CsrSigningController extends QueueController {
  private readonly csrs: SharedIndexInformer<CertificateSigningRequest>;

  constructor(private readonly client: Client, informers: SharedInformerFactory, private readonly authority: SigningAuthority) {
    super('csrsigning', informers);
    this.csrs = informers.forResource<CertificateSigningRequest>(CSRS);
    this.csrs.addEventHandler({ onAdd: this.enqueue, onUpdate: (_o, n) => this.enqueue(n) });
  }

  protected async sync(name: string): Promise<void> {
    const csr = this.csrs.lister.get(name);
    if (!csr || !hasCondition(csr, 'Approved') || hasCondition(csr, 'Failed') || csr.status?.certificate) return;
    const signer = String(csr.spec?.signerName ?? '');
    if (!BUILTIN_SIGNERS.includes(signer)) return;
    const usages: string[] = csr.spec?.usages ?? [];
    const info = await requestOf(csr).catch((err: Error) => err);
    const refusal = info instanceof Error ? `unable to parse csr: ${info.message}` : signerRefusal(signer, info, usages);
    const next = structuredClone(csr);
    next.status ??= {};
    if (refusal || info instanceof Error) {
      next.status.conditions = [...(next.status.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: refusal, lastUpdateTime: rfc3339(), lastTransitionTime: rfc3339() }];
    } else {
      const max = this.authority.maxDurationSeconds ?? 365 * 86_400;
      const seconds = Math.min(max, csr.spec?.expirationSeconds ?? max);
      const now = Date.now();
      const pem = await issueFromRequest({ ca: this.authority, request: info.request, usages, notBefore: new Date(now - 5 * 60_000), notAfter: new Date(now + seconds * 1000) });
      next.status.certificate = Buffer.from(pem).toString('base64');
    }
    await this.client.resource<CertificateSigningRequest>(CSRS).update(next, { subresource: 'status' }).catch((err) => { if (!isNotFound(err)) throw err; });
  }
}
