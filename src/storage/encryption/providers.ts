/**
 * Encryption-at-rest providers of an EncryptionConfiguration (upstream
 * k8s.io/apiserver/pkg/storage/value/encrypt/aes): a value is written as
 * `k8s:enc:<provider>:v1:<keyName>:` followed by the payload, read back by the provider
 * and key its prefix names.
 * - aescbc: AES-CBC with PKCS#7 padding, payload = 16-byte IV + ciphertext;
 * - aesgcm: AES-GCM, payload = 12-byte nonce + ciphertext + 16-byte tag;
 * - identity: no prefix, the value as it is.
 * k8ts' SQLite rows are text, so the payload after the prefix is base64 (etcd holds the
 * raw bytes upstream). Keys are 16, 24 or 32 bytes (base64 in the configuration).
 */
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';

/** One provider able to write (the first of a resource's list) or read values. */
export interface Provider {
  /** The prefix of the values it writes, '' for identity. */
  readonly prefix: string;
  encrypt(plain: Buffer): Buffer;
  decrypt(payload: Buffer): Buffer;
}

const algorithm = (mode: 'cbc' | 'gcm', key: Buffer): string => `aes-${key.length * 8}-${mode}`;

export function aescbcProvider(keyName: string, key: Buffer): Provider {
  return {
    prefix: `k8s:enc:aescbc:v1:${keyName}:`,
    encrypt(plain) {
      const iv = randomBytes(16);
      const c = createCipheriv(algorithm('cbc', key), key, iv);
      return Buffer.concat([iv, c.update(plain), c.final()]);
    },
    decrypt(payload) {
      if (payload.length < 32 || payload.length % 16 !== 0) throw new Error('the stored data is not a multiple of the block size');
      const d = createDecipheriv(algorithm('cbc', key), key, payload.subarray(0, 16));
      return Buffer.concat([d.update(payload.subarray(16)), d.final()]);
    },
  };
}

export function aesgcmProvider(keyName: string, key: Buffer): Provider {
  return {
    prefix: `k8s:enc:aesgcm:v1:${keyName}:`,
    encrypt(plain) {
      const nonce = randomBytes(12);
      const c = createCipheriv(algorithm('gcm', key), key, nonce) as CipherGCM;
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([nonce, body, c.getAuthTag()]);
    },
    decrypt(payload) {
      if (payload.length < 28) throw new Error('the stored data was shorter than the required size');
      const d = createDecipheriv(algorithm('gcm', key), key, payload.subarray(0, 12)) as DecipherGCM;
      d.setAuthTag(payload.subarray(payload.length - 16));
      return Buffer.concat([d.update(payload.subarray(12, payload.length - 16)), d.final()]);
    },
  };
}

export const identityProvider: Provider = { prefix: '', encrypt: (p) => p, decrypt: (p) => p };
