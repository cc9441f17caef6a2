/**
 * The pod's /etc/hosts (upstream pkg/kubelet/kubelet_pods.go makeHostsMount,
 * managedHostsFileContent, nodeHostsFileContent): a file `<pod dir>/etc-hosts`
 * bind-mounted at /etc/hosts into every container that does not mount something there
 * itself. For a pod network pod:
 *
 *   # Kubernetes-managed hosts file.
 *   127.0.0.1	localhost
 *   ::1	localhost ip6-localhost ip6-loopback
 *   fe00::0	ip6-localnet
 *   fe00::0	ip6-mcastprefix
 *   fe00::1	ip6-allnodes
 *   fe00::2	ip6-allrouters
 *   <podIP>	<hostname>.<subdomain>.<ns>.svc.<domain>	<hostname>   (FQDN only with a subdomain)
 *
 * A hostNetwork pod gets the header `# Kubernetes-managed hosts file (host network).`
 * and the node's /etc/hosts. Both end with the host aliases, if any:
 *
 *   (empty line)
 *   # Entries added by HostAliases.
 *   <ip>	<hostname 1>	<hostname 2>...
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '../api/core/v1/pod-types.js';

export const ETC_HOSTS_PATH = '/etc/hosts';

export interface HostAlias { ip?: string; hostnames?: string[] }

/** Pod hostname and domain (upstream GeneratePodHostNameAndDomain): hostname ≤ 63 chars. */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  const hostname = (pod.spec?.hostname || pod.metadata.name || '').slice(0, 63).replace(/[-.]+$/, '');
  const sub = pod.spec?.subdomain;
  return { hostname, domain: sub ? `${sub}.${pod.metadata.namespace}.svc.${clusterDomain}` : '' };
}

function aliasLines(aliases: HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip ?? ''}\t${(a.hostnames ?? []).join('\t')}\n`).join('')}`;
}

/** The managed file of a pod-network pod. */
export function managedHostsContent(podIPs: string[], hostname: string, domain: string, aliases?: HostAlias[]): string {
  let s = '# Kubernetes-managed hosts file.\n'
    + '127.0.0.1\tlocalhost\n'
    + '::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\n'
    + 'fe00::0\tip6-mcastprefix\n'
    + 'fe00::1\tip6-allnodes\n'
    + 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return s + aliasLines(aliases);
}

/** The file of a hostNetwork pod: the node's hosts file (`nodeHosts`, its text) plus the aliases. */
export function nodeHostsContent(nodeHosts: string, aliases?: HostAlias[]): string {
  return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${aliasLines(aliases)}`;
}

/**
 * Writes `<podDir>/etc-hosts` for `pod` with address `podIP` (rewritten when its content
 * changes, e.g. a new sandbox's address) and returns its path; undefined without a pod IP
 * (upstream mounts no hosts file then).
 */
export function ensureHostsFile(podDir: string, pod: Pod, podIP: string, clusterDomain: string, nodeHostsPath = '/etc/hosts'): string | undefined {
  if (!podIP) return undefined;
  const aliases = pod.spec?.hostAliases as HostAlias[] | undefined;
  let content: string;
  if (pod.spec?.hostNetwork) {
    let nodeHosts = '';
    try { nodeHosts = readFileSync(nodeHostsPath, 'utf8'); } catch { /* none */ }
    content = nodeHostsContent(nodeHosts, aliases);
  } else {
    const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
    content = managedHostsContent([podIP], hostname, domain, aliases);
  }
  const file = join(podDir, 'etc-hosts');
  let old: string | undefined;
  try { old = readFileSync(file, 'utf8'); } catch { /* new */ }
  if (old !== content) { mkdirSync(podDir, { recursive: true }); writeFileSync(file, content, { mode: 0o644 }); }
  return file;
}
