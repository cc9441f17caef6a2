/**
 * What the apiserver's bootstrap controllers ensure at start (upstream
 * pkg/controlplane/controller/systemnamespaces and the `kubernetes` Service): the
 * namespaces default, kube-system, kube-public, kube-node-lease, the `kubernetes`
 * Service at the first service IP, and the system PriorityClasses
 * system-node-critical and system-cluster-critical (pkg/registry/scheduling/rest).
 */
import { isAlreadyExists } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import { priorityClassDefinition } from '../../api/scheduling/v1/priority-class.js';
import { SYSTEM_PRIORITY_CLASSES } from '../../api/scheduling/v1/priority-class-validation.js';

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
  const pcs = client.resource(refOf(untyped(priorityClassDefinition)));
  await Promise.all(SYSTEM_PRIORITY_CLASSES.map((c) => pcs.create({
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: c.name }, value: c.value, description: c.description, preemptionPolicy: 'PreemptLowerPriority',
  }).catch((err) => { if (!isAlreadyExists(err)) throw err; })));
}
