/** EncryptionConfiguration files for encryption-at-rest tests. */
import { writeFileSync } from 'node:fs';

/** Writes an apiserver.config.k8s.io/v1 EncryptionConfiguration to `path`: Secrets through aescbc key `key1` (32 bytes of 7), then identity for old plain values. Returns `path`. */
export function writeAescbcSecretsConfig(path: string): string {
  writeFileSync(path, `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: ${Buffer.alloc(32, 7).toString('base64')}
  - identity: {}
`);
  return path;
}
