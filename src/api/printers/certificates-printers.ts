/**
 * Table printer of certificates.k8s.io/v1 CertificateSigningRequest, with upstream
 * v1.32's columns (pkg/printers/internalversion/printers.go:
 * printCertificateSigningRequest, extractCSRStatus): CONDITION is Denied, Approved or
 * Pending, then `,Failed` and `,Issued` (a certificate is set), e.g. `Approved,Issued`.
 */
import { age, col, humanDuration, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

/** The CONDITION cell of a CSR. */
export function csrCondition(csr: AnyObject): string {
  const types = new Set(((csr.status?.conditions ?? []) as Array<{ type?: string }>).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [nameColumn, ageColumn, col('SignerName'), col('Requestor'), col('RequestedDuration'), col('Condition')],
  cells(obj, now) {
    const csr = obj as AnyObject;
    const spec = csr.spec ?? {};
    const requested = spec.expirationSeconds !== undefined && spec.expirationSeconds !== null ? humanDuration(spec.expirationSeconds * 1000) : '<none>';
    return [csr.metadata.name, age(csr, now), spec.signerName || '<none>', spec.username ?? '', requested, csrCondition(csr)];
  },
};
