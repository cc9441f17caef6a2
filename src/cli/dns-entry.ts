/**
 * Entry point of the cluster DNS image (`node /app/k8ts-dns.cjs [options]`; bundled by
 * runtime/dns-image.ts): connects to the apiserver with the in-cluster configuration
 * and serves DNS until SIGTERM/SIGINT, as CoreDNS does in its Deployment. Kept free of
 * native modules so that it bundles into one file.
 */
import { Command } from 'commander';
import { createClient } from '../client/rest-client.js';
import { inClusterConfig } from '../client/in-cluster.js';
import { runDnsServer, K8TS_DNS_VERSION } from '../dns/run-dns.js';

async function main(argv: string[]): Promise<void> {
  const program = new Command('k8ts-dns').description('cluster DNS for k8ts (the Kubernetes DNS-Based Service Discovery specification)')
    .option('--domain <domain>', 'cluster domain', 'cluster.local')
    .option('--port <port>', 'DNS port (UDP and TCP)', (v) => Number(v), 53)
    .option('--health-port <port>', '/health port', (v) => Number(v), 8080)
    .option('--ready-port <port>', '/ready port', (v) => Number(v), 8181)
    .option('--credentials-dir <dir>', 'folder with ca.crt and tls.crt/tls.key (or token), tried before the ServiceAccount folder')
    .option('--no-log', 'do not log each query')
    .option('--reverse-cidr <cidr...>', 'service and pod CIDRs answered authoritatively under in-addr.arpa', ['10.96.0.0/12', '10.244.0.0/16']);
  program.parse(argv, { from: 'user' });
  const o = program.opts<{ domain: string; port: number; healthPort: number; readyPort: number; credentialsDir?: string; log: boolean; reverseCidr: string[] }>();
  const client = createClient(inClusterConfig({ credentialsDir: o.credentialsDir, userAgent: `k8ts-dns/${K8TS_DNS_VERSION}` }));
  const abort = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => abort.abort());
  await runDnsServer({ client, domain: o.domain, port: o.port, healthPort: o.healthPort, readyPort: o.readyPort, log: o.log, reverseCidrs: o.reverseCidr, signal: abort.signal });
}

main(process.argv.slice(2)).then(() => process.exit(0), (err) => { console.error(`[FATAL] ${(err as Error)?.stack ?? err}`); process.exit(1); });
