/**
 * The cluster's PKI (upstream kubeadm's certs phase / k3s's tls dir): a CA, the
 * apiserver serving certificate, the admin client certificate, and any further
 * certificate issued on demand. Keys are RSA 2048 from Node's crypto; certificates are
 * built with node-forge. Everything is written under `dir` on first use and reused on
 * later starts (an issued certificate is cached by its file name).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface CertKeyPair { certPem: string; keyPem: string; certPath: string; keyPath: string }

export interface IssueOptions {
  commonName: string;
  /** Subject O= values: Kubernetes groups for client certificates. */
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usages: 'client' | 'server' | 'both';
  /** Default 365. */
  validityDays?: number;
}

export interface Pki {
  dir: string;
  ca: CertKeyPair;
  /** apiserver serving certificate. */
  server: CertKeyPair;
  /** cluster-admin client certificate (O=system:masters). */
  admin: CertKeyPair;
  /** PEM of the RSA key that signs ServiceAccount tokens (`sa.key`, as kubeadm's; PKCS#8). */
  serviceAccountKeyPem: string;
  /** Issues (or returns the cached) certificate signed by the CA. */
  issueCertificate(opts: IssueOptions): Promise<CertKeyPair>;
}

/** PEM of a certificate with `\n` line ends, as openssl and Go write them (forge writes `\r\n`). */
const lf = (pem: string): string => pem.replace(/\r\n/g, '\n');
const certificatePem = (cert: forge.pki.Certificate): string => lf(forge.pki.certificateToPem(cert));

function newKey(): { keyPem: string; key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { keyPem, key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

/**
 * A certificate serial number (RFC 5280 §4.1.2.2: a positive INTEGER) as forge wants it:
 * hex of its minimal DER content octets. forge writes the bytes as given, and OpenSSL 3
 * refuses a certificate whose INTEGER has a superfluous leading zero ("illegal
 * padding"), so the first byte is made 0x40–0x7f: non-zero and positive.
 */
export function serialNumberHex(random: Buffer): string {
  const b = Buffer.from(random);
  b[0] = (b[0] & 0x3f) | 0x40;
  return b.toString('hex');
}

function makeCert(subject: forge.pki.CertificateField[], pub: forge.pki.PublicKey, validityDays: number, extensions: object[], issuer?: { cert: forge.pki.Certificate; key: forge.pki.PrivateKey }, signKey?: forge.pki.PrivateKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  cert.serialNumber = serialNumberHex(randomBytes(16));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + validityDays * 86_400_000);
  const utf8 = subject.map((f) => ({ ...f, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }));
  cert.setSubject(utf8);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : utf8);
  cert.setExtensions(extensions);
  cert.sign((issuer?.key ?? signKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return cert;
}

const isIP = (s: string): boolean => /^\d+\.\d+\.\d+\.\d+$/.test(s) || s.includes(':');

/** Loads the PKI under `dir`, creating what is missing. */
export async function ensurePki(dir: string, opts: { extraSANs?: string[] } = {}): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (n: string): string => join(dir, n);
  let ca: CertKeyPair;
  if (existsSync(p('ca.crt')) && existsSync(p('ca.key'))) {
    ca = { certPem: lf(readFileSync(p('ca.crt'), 'utf8')), keyPem: readFileSync(p('ca.key'), 'utf8'), certPath: p('ca.crt'), keyPath: p('ca.key') };
  } else {
    const k = newKey();
    const subject = [{ name: 'commonName', value: `k8ts-ca@${Math.floor(Date.now() / 1000)}` }];
    const cert = makeCert(subject, k.pub, 3650, [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ], undefined, k.key);
    const certPem = certificatePem(cert);
    writeFileSync(p('ca.key'), k.keyPem, { mode: 0o600 });
    writeFileSync(p('ca.crt'), certPem);
    ca = { certPem, keyPem: k.keyPem, certPath: p('ca.crt'), keyPath: p('ca.key') };
  }
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);

  const issueCertificate = async (o: IssueOptions): Promise<CertKeyPair> => {
    const sans = [...(o.dnsNames ?? []), ...(o.ipAddresses ?? [])];
    const base = `${o.usages}-${o.commonName.replace(/[^A-Za-z0-9.-]/g, '_')}`;
    const certPath = p(`${base}.crt`);
    const keyPath = p(`${base}.key`);
    const fingerprint = JSON.stringify([o.organizations ?? [], [...sans].sort()]);
    if (existsSync(certPath) && existsSync(keyPath) && existsSync(`${certPath}.spec`) && readFileSync(`${certPath}.spec`, 'utf8') === fingerprint) {
      const certPem = lf(readFileSync(certPath, 'utf8'));
      if (forge.pki.certificateFromPem(certPem).validity.notAfter.getTime() > Date.now() + 86_400_000) {
        return { certPem, keyPem: readFileSync(keyPath, 'utf8'), certPath, keyPath };
      }
    }
    const k = newKey();
    const subject: forge.pki.CertificateField[] = [...(o.organizations ?? []).map((v) => ({ name: 'organizationName', value: v })), { name: 'commonName', value: o.commonName }];
    const ext: object[] = [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: o.usages !== 'client', clientAuth: o.usages !== 'server' },
    ];
    if (sans.length) ext.push({ name: 'subjectAltName', altNames: sans.map((s) => (isIP(s) ? { type: 7, ip: s } : { type: 2, value: s })) });
    const cert = makeCert(subject, k.pub, o.validityDays ?? 365, ext, { cert: caCert, key: caKey });
    const certPem = certificatePem(cert);
    writeFileSync(keyPath, k.keyPem, { mode: 0o600 });
    writeFileSync(certPath, certPem);
    writeFileSync(`${certPath}.spec`, fingerprint);
    return { certPem, keyPem: k.keyPem, certPath, keyPath };
  };

  const host = hostname().toLowerCase();
  const server = await issueCertificate({
    commonName: 'kube-apiserver', usages: 'server',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', host, ...(opts.extraSANs ?? []).filter((s) => !isIP(s))],
    ipAddresses: [...new Set(['127.0.0.1', '10.96.0.1', ...(opts.extraSANs ?? []).filter(isIP)])],
  });
  const admin = await issueCertificate({ commonName: 'kubernetes-admin', organizations: ['system:masters'], usages: 'client' });
  return { dir, ca, server, admin, serviceAccountKeyPem: ensureServiceAccountKey(p('sa.key')), issueCertificate };
}

/** The ServiceAccount signing key at `path`, made (RSA 2048, PKCS#8 PEM, mode 0600) on first use. */
function ensureServiceAccountKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writeFileSync(path, pem, { mode: 0o600 });
  return pem;
}
