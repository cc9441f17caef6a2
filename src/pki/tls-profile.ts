/**
 * The TLS settings of every k8ts server (apiserver, kubelet API), as upstream's Go
 * components serve by default (crypto/tls defaults of the Go release Kubernetes v1.32 is
 * built with; k8s.io/component-base/cli/flag/ciphersuites_flag.go): TLS 1.2 at least
 * (`--tls-min-version` VersionTLS12), and for TLS 1.2 only the ECDHE suites with AES-GCM,
 * ChaCha20-Poly1305 or AES-CBC-SHA — no RSA key exchange, no 3DES (TLS 1.3 suites are
 * OpenSSL's, all AEAD). `@SECLEVEL=0`: a TLS 1.2 client that sends no
 * signature_algorithms (busybox's wget in a pod) gets an RSA/SHA-1 handshake signature,
 * as Go's crypto/tls gives it; OpenSSL 3 refuses SHA-1 there above security level 0.
 */
export const SERVING_TLS = {
  minVersion: 'TLSv1.2' as const,
  ciphers: [
    'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305',
    'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA',
    '@SECLEVEL=0',
  ].join(':'),
};
