/**
 * The node's pod network (ARCHITECTURE.md §4; RUNTIME-NOTES.md "Pod network"): the
 * bridge with the podCIDR's gateway address, the safety routes that send the whole
 * cluster and service CIDRs to the bridge (so a packet no rule rewrites fails locally
 * instead of leaving the machine), and the CNI conflist (bridge + host-local on the
 * podCIDR, portmap) containerd's CRI plugin uses (containerd brings `lo` up itself),
 * and the node's masquerade rule (nft table `ip k8ts-node`).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { intToIp, parseCIDR } from '../machinery/cidr.js';
import { runNft } from '../proxy/nft.js';
import { containerdPaths } from './paths.js';

const run = promisify(execFile);

export interface NodeNetworkOptions { dataDir: string; podCIDR: string; bridge?: string; clusterCIDR?: string; serviceCIDR?: string }

/** Idempotent: bridge, gateway address, safety routes, then the conflist. Resolves to the gateway address (the node's own address on its pod network). */
export async function ensureNodeNetwork(opts: NodeNetworkOptions): Promise<{ gateway: string }> {
  const bridge = opts.bridge ?? 'k8ts0';
  const { base, prefix } = parseCIDR(opts.podCIDR);
  const gateway = intToIp(base + 1);
  const exists = await run('ip', ['link', 'show', bridge]).then(() => true, () => false);
  if (!exists) await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', bridge]);
  for (const m of stdout.matchAll(/inet (\S+)/g)) if (m[1] !== `${gateway}/${prefix}`) await run('ip', ['addr', 'del', m[1], 'dev', bridge]);
  if (!stdout.includes(`inet ${gateway}/${prefix}`)) await run('ip', ['addr', 'add', `${gateway}/${prefix}`, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
  // Safety routes before any pod gets an address.
  await run('ip', ['route', 'replace', opts.serviceCIDR ?? '10.96.0.0/12', 'dev', bridge]);
  await run('ip', ['route', 'replace', opts.clusterCIDR ?? '10.244.0.0/16', 'dev', bridge]);
  const p = containerdPaths(opts.dataDir);
  mkdirSync(p.cniConfDir, { recursive: true });
  const conf = {
    cniVersion: '0.4.0', name: 'k8ts',
    plugins: [
      {
        // ipMasq stays off: the bridge plugin would add an iptables chain per pod (~50 ms
        // of iptables per ADD and DEL); one masquerade rule of the node's table covers all.
        type: 'bridge', bridge, isGateway: true, ipMasq: false, hairpinMode: true,
        ipam: { type: 'host-local', dataDir: p.cniDataDir, ranges: [[{ subnet: opts.podCIDR, gateway }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  await runNft(nodeMasqueradeRuleset(opts.podCIDR, opts.clusterCIDR ?? '10.244.0.0/16'));
  writeFileSync(join(p.cniConfDir, '10-k8ts.conflist'), JSON.stringify(conf, null, 2));
  return { gateway };
}

/** nftables table of the node's pod network. */
export const NODE_TABLE = 'k8ts-node';

/**
 * The node's masquerade as the CNI bridge plugin's `ipMasq` does it, once for the
 * podCIDR instead of a chain per pod: traffic from a pod to anything outside the cluster
 * CIDR and multicast leaves with the node's address. Replaces the table atomically.
 */
export function nodeMasqueradeRuleset(podCIDR: string, clusterCIDR: string): string {
  return [
    `table ip ${NODE_TABLE}`,
    `delete table ip ${NODE_TABLE}`,
    `table ip ${NODE_TABLE} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ip saddr ${podCIDR} ip daddr != { ${clusterCIDR}, 224.0.0.0/4 } masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
}
