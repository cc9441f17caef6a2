/**
 * The cluster DNS add-on, as CoreDNS is deployed on upstream (kubeadm) and k3s: a
 * Deployment `k8ts-dns` in `kube-system` (label `k8s-app: kube-dns`) behind the Service
 * `kube-dns` at the DNS address the kubelet writes into pods' resolv.conf (10.96.0.10).
 *
 * The pod authenticates as CoreDNS does: with the bound token of its ServiceAccount
 * `k8ts-dns`, which the ServiceAccount admission mounts and the kubelet keeps fresh.
 * A Deployment of an earlier k8ts (a client certificate from the Secret
 * `k8ts-dns-credentials`) is moved to the token and that Secret removed.
 *
 * Applied at server start: what is missing is created; an existing Deployment keeps the
 * user's changes (replicas, resources) and only gets the current image, as k3s's
 * manifests controller leaves scaled add-ons scaled.
 */
import { isAlreadyExists, isNotFound } from '../../machinery/errors.js';
import { resources, type Client } from '../../client/interface.js';
import type { KubeObject } from '../../api/object.js';

export const DNS_NAMESPACE = 'kube-system';
export const DNS_DEPLOYMENT = 'k8ts-dns';
export const DNS_SERVICE = 'kube-dns';
/** The Secret of earlier versions' client certificate, removed at start. */
const OLD_CREDENTIALS = 'k8ts-dns-credentials';

export interface ClusterDnsOptions {
  /** The DNS image reference (runtime/dns-image.ts). */
  image: string;
  /** The kube-dns Service's ClusterIP. Default 10.96.0.10. */
  clusterIP?: string;
  /** Default cluster.local. */
  domain?: string;
  /** CIDRs the server answers reverse lookups for. */
  reverseCidrs: string[];
}

/** The Deployment of the DNS server (shape after CoreDNS's kubeadm manifest). */
export function dnsDeployment(o: ClusterDnsOptions): KubeObject {
  const labels = { 'k8s-app': 'kube-dns' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: DNS_DEPLOYMENT, namespace: DNS_NAMESPACE, labels: { ...labels, 'kubernetes.io/name': 'k8ts-dns' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'k8ts-dns',
          dnsPolicy: 'Default',
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          containers: [{
            name: 'dns', image: o.image, imagePullPolicy: 'IfNotPresent',
            args: ['--domain', o.domain ?? 'cluster.local', '--reverse-cidr', ...o.reverseCidrs],
            ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
            livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5, periodSeconds: 10 },
            readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 1 },
          }],
        },
      },
    },
  } as KubeObject;
}

/** The `kube-dns` Service (upstream's name and labels, so tools that look for it find it). */
export function dnsService(o: ClusterDnsOptions): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: DNS_SERVICE, namespace: DNS_NAMESPACE, labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'k8ts-dns' } },
    spec: {
      selector: { 'k8s-app': 'kube-dns' }, clusterIP: o.clusterIP ?? '10.96.0.10',
      ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }],
    },
  } as KubeObject;
}

const createIfMissing = async (client: Client, ref: Parameters<Client['resource']>[0], obj: KubeObject): Promise<void> => {
  await client.resource(ref).create(obj).catch((e) => { if (!isAlreadyExists(e)) throw e; });
};

/**
 * Creates what is missing and moves an existing Deployment to `image` (and off an
 * earlier version's client-certificate Secret, which is then deleted). Throws the API's errors.
 */
export async function ensureClusterDns(client: Client, o: ClusterDnsOptions): Promise<void> {
  await createIfMissing(client, resources.serviceaccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'k8ts-dns', namespace: DNS_NAMESPACE } });
  await createIfMissing(client, resources.services, dnsService(o));
  const deployments = client.resource(resources.deployments);
  type DnsContainer = { name: string; image: string; args?: string[]; resources?: unknown };
  try {
    const have = await deployments.get(DNS_DEPLOYMENT, { namespace: DNS_NAMESPACE }) as KubeObject & { spec: { template: { spec: { containers: DnsContainer[] } } } };
    const c = have.spec.template.spec.containers.find((x) => x.name === 'dns');
    if (c?.args?.includes('--credentials-dir')) {
      // An earlier version's pod spec: the current one, keeping the user's resources (a JSON merge patch replaces the lists).
      const want = dnsDeployment(o) as KubeObject & { spec: { template: { spec: { containers: DnsContainer[] } } } };
      const container = { ...want.spec.template.spec.containers[0], ...(c.resources ? { resources: c.resources } : {}) };
      await deployments.patch(DNS_DEPLOYMENT, { spec: { template: { spec: { containers: [container], volumes: null } } } }, 'application/merge-patch+json', { namespace: DNS_NAMESPACE });
    } else if (c && c.image !== o.image) {
      await deployments.patch(DNS_DEPLOYMENT, { spec: { template: { spec: { containers: [{ name: 'dns', image: o.image }] } } } }, 'application/strategic-merge-patch+json', { namespace: DNS_NAMESPACE });
    }
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await deployments.create(dnsDeployment(o));
  }
  await client.resource(resources.secrets).delete(OLD_CREDENTIALS, { namespace: DNS_NAMESPACE }).catch((e) => { if (!isNotFound(e)) throw e; });
}
