/**
 * Writes a kubeconfig (clientcmd v1 Config) with embedded certificate data; cluster,
 * user and context are named `default` as k3s names them.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import YAML from 'yaml';

export interface KubeconfigParams { server: string; caPem: string; certPem: string; keyPem: string; user?: string; context?: string }

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** Writes `path` (mode 0600). */
export function writeKubeconfig(path: string, p: KubeconfigParams): void {
  const name = p.context ?? 'default';
  const user = p.user ?? 'default';
  const doc = {
    apiVersion: 'v1', kind: 'Config', preferences: {},
    clusters: [{ name, cluster: { server: p.server, 'certificate-authority-data': b64(p.caPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(p.certPem), 'client-key-data': b64(p.keyPem) } }],
    contexts: [{ name, context: { cluster: name, user } }],
    'current-context': name,
  };
  mkdirSync(dirname(path), { recursive: true });
  // Written aside then renamed: a client that polls for the file never reads half of it.
  writeFileSync(`${path}.tmp`, YAML.stringify(doc), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
