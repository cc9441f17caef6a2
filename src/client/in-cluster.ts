/**
 * The client configuration of a component running in a pod (client-go's
 * rest.InClusterConfig): the apiserver at `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
 * verified with the cluster CA mounted at `/var/run/secrets/kubernetes.io/serviceaccount/ca.crt`
 * (or `<credentials>/ca.crt`).
 *
 * Credentials: a bearer token file `token` when present (a ServiceAccount token), else a
 * client certificate `tls.crt`/`tls.key` from `credentialsDir` (tried first), for a
 * component given a certificate instead of a ServiceAccount.
 * Throws Error when the environment or every credential is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig } from './rest-client.js';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function inClusterConfig(opts: { credentialsDir?: string; userAgent?: string; env?: NodeJS.ProcessEnv } = {}): ClientConfig {
  const env = opts.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new Error('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  const dirs = [opts.credentialsDir, SERVICE_ACCOUNT_DIR].filter((d): d is string => !!d);
  const find = (name: string): string | undefined => dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  const ca = find('ca.crt');
  const token = find('token');
  const cert = find('tls.crt');
  const key = find('tls.key');
  if (!token && !(cert && key)) throw new Error(`no credentials: neither a token nor tls.crt/tls.key in ${dirs.join(', ')}`);
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    caPem: ca ? readFileSync(ca, 'utf8') : undefined,
    ...(token ? { token: readFileSync(token, 'utf8').trim() } : { certPem: readFileSync(cert!, 'utf8'), keyPem: readFileSync(key!, 'utf8') }),
    userAgent: opts.userAgent,
  };
}
