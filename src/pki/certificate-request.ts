/**
 * PKCS#10 certificate requests (RFC 2986) for the Certificates API: parsing what a
 * CertificateSigningRequest carries in `spec.request`, and issuing the certificate a
 * signer grants. Uses @peculiar/x509 (RSA, ECDSA and Ed25519 keys; Node's WebCrypto),
 * because node-forge, which the rest of the PKI uses, reads RSA requests only and cannot
 * put a non-RSA public key into a certificate. @peculiar/x509 wants the Reflect
 * metadata polyfill loaded before it.
 */
import 'reflect-metadata';
import { createPrivateKey, webcrypto, randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { serialNumberHex } from './pki.js';

/** What a signer judges of a request: its subject, SANs and whether its signature holds. */
export interface CertificateRequestInfo {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** The request's self-signature verifies with its own public key. */
  signatureValid: boolean;
  /** The parsed request (for issuing). */
  request: x509.Pkcs10CertificateRequest;
}

/** id-ce-subjectAltName (RFC 5280 §4.2.1.6). */
const SAN_OID = '2.5.29.17';
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/;

/**
 * Parses a PEM `CERTIFICATE REQUEST` (the first PEM block of `pem`).
 * @throws Error with upstream's wording: 'PEM block type must be CERTIFICATE REQUEST', or the ASN.1 parser's message.
 */
export async function parseCertificateRequest(pem: string): Promise<CertificateRequestInfo> {
  const m = PEM_BLOCK.exec(pem);
  if (!m || m[1] !== 'CERTIFICATE REQUEST') throw new Error('PEM block type must be CERTIFICATE REQUEST');
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(m[0]);
  } catch (err) {
    throw new Error(`asn1: structure error: ${(err as Error).message}`);
  }
  const names = request.getExtension(SAN_OID) as x509.SubjectAlternativeNameExtension | null;
  const san = (type: string): string[] => (names ? names.names.items.filter((n) => n.type === type).map((n) => n.value) : []);
  let signatureValid = false;
  try { signatureValid = await request.verify(webcrypto as unknown as Crypto); } catch { /* an unsupported algorithm does not verify */ }
  return {
    commonName: request.subjectName.getField('CN')[0] ?? '',
    organizations: request.subjectName.getField('O'),
    dnsNames: san('dns'), ipAddresses: san('ip'), emailAddresses: san('email'), uris: san('url'),
    signatureValid, request,
  };
}

/** Key usages of the Certificates API (certificates.k8s.io/v1 KeyUsage values) as X.509 key usage bits. */
const KEY_USAGES: Record<string, x509.KeyUsageFlags> = {
  'digital signature': x509.KeyUsageFlags.digitalSignature, 'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment, 'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement, 'cert sign': x509.KeyUsageFlags.keyCertSign, 'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly, 'decipher only': x509.KeyUsageFlags.decipherOnly,
};
/** …and as extended key usage OIDs. */
const EXT_KEY_USAGES: Record<string, string> = {
  'server auth': x509.ExtendedKeyUsage.serverAuth, 'client auth': x509.ExtendedKeyUsage.clientAuth, 'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection, 'timestamping': x509.ExtendedKeyUsage.timeStamping, 'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
  'any': '2.5.29.37.0', 'ipsec end system': '1.3.6.1.5.5.7.3.5', 'ipsec tunnel': '1.3.6.1.5.5.7.3.6', 'ipsec user': '1.3.6.1.5.5.7.3.7',
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3', 'netscape sgc': '2.16.840.1.113730.4.1',
};

export interface IssueFromRequest {
  /** The signing CA: PEM certificate and PEM private key (RSA, PKCS#1 or PKCS#8). */
  ca: { certPem: string; keyPem: string };
  request: x509.Pkcs10CertificateRequest;
  /** certificates.k8s.io usages ('digital signature', 'client auth'...). */
  usages: string[];
  notBefore: Date;
  notAfter: Date;
}

/**
 * A certificate for the request's subject, public key and SANs, signed by the CA
 * (upstream pkg/controller/certificates/authority: SANs copied, usages as key usage and
 * extended key usage, not a CA, authority key id of the CA). Returns PEM with `\n` ends.
 */
export async function issueFromRequest(o: IssueFromRequest): Promise<string> {
  const crypto = webcrypto as unknown as Crypto;
  const caCert = new x509.X509Certificate(o.ca.certPem);
  const pkcs8 = createPrivateKey(o.ca.keyPem).export({ format: 'der', type: 'pkcs8' });
  const signingKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const keyBits = o.usages.reduce((bits, u) => bits | (KEY_USAGES[u] ?? 0), 0);
  const eku = o.usages.map((u) => EXT_KEY_USAGES[u]).filter(Boolean);
  const san = o.request.getExtension(SAN_OID) as x509.SubjectAlternativeNameExtension | null;
  const extensions: x509.Extension[] = [
    ...(keyBits ? [new x509.KeyUsagesExtension(keyBits, true)] : []),
    ...(eku.length ? [new x509.ExtendedKeyUsageExtension(eku)] : []),
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
    ...(san ? [new x509.SubjectAlternativeNameExtension(san.names.toJSON(), false)] : []),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumberHex(randomBytes(16)), subject: o.request.subjectName, issuer: caCert.subjectName,
    notBefore: o.notBefore, notAfter: o.notAfter, publicKey: o.request.publicKey, signingKey, extensions,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
  }, crypto);
  return `${cert.toString('pem').replace(/\r\n/g, '\n')}\n`;
}

/**
 * Why `pem` is not a parsable certificate request (upstream certificates.ParseCSR:
 * the first PEM block must be a `CERTIFICATE REQUEST` holding a PKCS#10 structure), or
 * undefined. Synchronous: the signature is not checked here (signers do).
 */
export function certificateRequestPemError(pem: string): string | undefined {
  const m = PEM_BLOCK.exec(pem);
  if (!m || m[1] !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  try { new x509.Pkcs10CertificateRequest(m[0]); return undefined; } catch (err) { return `asn1: structure error: ${(err as Error).message}`; }
}

/** Why `pem` is not one or more PEM `CERTIFICATE` blocks of X.509 certificates (CSR status.certificate rules), or undefined. */
export function certificateBundlePemError(pem: string): string | undefined {
  const blocks = [...pem.matchAll(new RegExp(PEM_BLOCK.source, 'g'))];
  if (!blocks.length) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b[1] !== 'CERTIFICATE') return 'only CERTIFICATE PEM blocks are allowed, found "' + b[1] + '"';
    try { new x509.X509Certificate(b[0]); } catch (err) { return `asn1: structure error: ${(err as Error).message}`; }
  }
  return undefined;
}
