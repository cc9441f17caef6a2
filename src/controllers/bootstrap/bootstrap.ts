/**
 * What the apiserver's bootstrap controllers ensure at start (upstream
 * pkg/controlplane/controller/systemnamespaces and the `kubernetes` Service): the
 * namespaces default, kube-system, kube-public, kube-node-lease, and the `kubernetes`
 * Service at the first service IP.
 */
import { isAlreadyExists } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates what is missing; safe to call on every start. */
export async function ensureBootstrapNamespaces(client: Client, opts: { kubernetesServiceIP?: string; apiserverPort?: number } = {}): Promise<void> {
  const ns = client.resource(resources.namespaces);
  await Promise.all(SYSTEM_NAMESPACES.map((name) => ns.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }).catch((err) => { if (!isAlreadyExists(err)) throw err; })));
  await client.resource(resources.services).create({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: opts.kubernetesServiceIP ?? '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.apiserverPort ?? 6443 }], sessionAffinity: 'None' },
  }).catch((err) => { if (!isAlreadyExists(err)) throw err; });
}
