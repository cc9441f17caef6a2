/**
 * Per-controller credentials (upstream kube-controller-manager
 * `--use-service-account-credentials`, pkg/controller/client_builder_dynamic.go): each
 * controller talks to the apiserver as its own ServiceAccount in `kube-system`
 * (`deployment-controller`, `generic-garbage-collector`, …), which the bootstrap RBAC
 * policy binds to `system:controller:<name>`. The manager's own identity only creates
 * the ServiceAccount when missing and requests its tokens (TokenRequest, 1 h), which
 * are requested again at 80 % of their lifetime; a failed refresh is retried every
 * 10 s while the old token lasts.
 */
import { isNotFound, isAlreadyExists } from '../machinery/errors.js';
import { resources, type Client } from '../client/interface.js';
import { createClient, type ClientConfig } from '../client/rest-client.js';
import type { KubeObject } from '../api/object.js';
import { onAbort } from '../machinery/time.js';

/** Controller name (controllerFactories) → the ServiceAccount upstream runs it as. */
export const CONTROLLER_SERVICE_ACCOUNTS: Record<string, string> = {
  deployment: 'deployment-controller',
  replicaset: 'replicaset-controller',
  replicationcontroller: 'replication-controller',
  garbagecollector: 'generic-garbage-collector',
  serviceaccount: 'service-account-controller',
  namespace: 'namespace-controller',
  'root-ca-cert-publisher': 'root-ca-cert-publisher',
  nodeipam: 'node-controller',
  endpoint: 'endpoint-controller',
  endpointslice: 'endpointslice-controller',
  job: 'job-controller',
  'ttl-after-finished': 'ttl-after-finished-controller',
  cronjob: 'cronjob-controller',
  podgc: 'pod-garbage-collector',
  statefulset: 'statefulset-controller',
  daemonset: 'daemon-set-controller',
  nodelifecycle: 'node-controller',
  'taint-eviction-controller': 'node-controller',
  disruption: 'disruption-controller',
  resourcequota: 'resourcequota-controller',
  horizontalpodautoscaling: 'horizontal-pod-autoscaler',
  'clusterrole-aggregation': 'clusterrole-aggregation-controller',
  csrsigning: 'certificate-controller',
  csrapproving: 'certificate-controller',
  'pvc-protection': 'pvc-protection-controller',
  'pv-protection': 'pv-protection-controller',
};

const NAMESPACE = 'kube-system';
const EXPIRATION_SECONDS = 3600;

export interface ServiceAccountClientOptions {
  /** The manager's own client (creates ServiceAccounts, requests tokens). */
  root: Client;
  /** Where and how to reach the apiserver (server, CA); its credentials are not used. */
  base: ClientConfig;
  signal: AbortSignal;
  log?: (m: string) => void;
}

/**
 * Returns `clientFor(controller)`: a client authenticated as the controller's
 * ServiceAccount (one per ServiceAccount, shared by controllers that share one). Throws
 * the API's error when the ServiceAccount or its first token cannot be had.
 */
export function serviceAccountClients(o: ServiceAccountClientOptions): (controller: string) => Promise<Client> {
  const clients = new Map<string, Promise<Client>>();
  return (controller) => {
    const sa = CONTROLLER_SERVICE_ACCOUNTS[controller] ?? controller;
    let c = clients.get(sa);
    if (!c) { c = clientAs(o, sa); clients.set(sa, c); c.catch(() => clients.delete(sa)); }
    return c;
  };
}

async function clientAs(o: ServiceAccountClientOptions, sa: string): Promise<Client> {
  const accounts = o.root.resource(resources.serviceaccounts);
  try { await accounts.get(sa, { namespace: NAMESPACE }); } catch (err) {
    if (!isNotFound(err)) throw err;
    await accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: NAMESPACE } }).catch((e) => { if (!isAlreadyExists(e)) throw e; });
  }
  const request = async (): Promise<{ token: string; expiresMs: number }> => {
    const tr = await accounts.create<KubeObject & { status?: { token?: string; expirationTimestamp?: string } }>(
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: { expirationSeconds: EXPIRATION_SECONDS } } as KubeObject,
      { namespace: NAMESPACE, name: sa, subresource: 'token' });
    if (!tr.status?.token) throw new Error(`TokenRequest for ${NAMESPACE}/${sa} answered without a token`);
    return { token: tr.status.token, expiresMs: Date.parse(tr.status.expirationTimestamp ?? '') || Date.now() + EXPIRATION_SECONDS * 1000 };
  };
  let current = await request();
  const refresh = (delayMs: number): void => {
    if (o.signal.aborted) return;
    const t = setTimeout(async () => {
      try { current = await request(); refresh((current.expiresMs - Date.now()) * 0.8); } catch (err) {
        o.log?.(`token of ${NAMESPACE}/${sa}: ${(err as Error).message}; retrying in 10 s`);
        refresh(10_000);
      }
    }, Math.max(1_000, delayMs));
    t.unref();
    onAbort(o.signal, () => clearTimeout(t));
  };
  refresh((current.expiresMs - Date.now()) * 0.8);
  const { certPem: _c, keyPem: _k, token: _t, ...base } = o.base;
  return createClient({ ...base, tokenSource: () => current.token, userAgent: `${o.base.userAgent ?? 'kube-controller-manager'}/${sa}` });
}
