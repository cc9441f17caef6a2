/**
 * The `k8ts` command line (like k3s's single binary): `server` runs the whole
 * single-node cluster in one process; `apiserver`, `scheduler` and
 * `controller-manager` run one component each against a remote apiserver;
 * `killall` tears the node down; `images build` makes the offline images.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { hostname } from 'node:os';
import { DEFAULT_DATA_DIR } from '../server/data-dir.js';
import { parseAuthorizationModes } from '../apiserver/authz/authorization-modes.js';
import { releaseStartupSignalHandlers, terminationSignal } from './termination.js';
import { parseGoDurationMs } from '../machinery/duration.js';

/** `--authorization-mode Node,RBAC` → the modes; a bad list is commander's argument error. */
function authorizationModesArg(value: string): string[] {
  try { return parseAuthorizationModes(value); } catch (err) { throw new InvalidArgumentError((err as Error).message); }
}

/** Parses `argv` (without node and script) and runs the chosen command. */
/** kube-apiserver's audit flags (apiserver/audit/options.ts), for `server` and `apiserver`. */
const int = (v: string): number => Number(v);
const encryptionProviderConfig = (): Option => new Option('--encryption-provider-config <file>', 'apiserver.config.k8s.io/v1 EncryptionConfiguration: resources encrypted at rest (aescbc, aesgcm, identity)');
const auditPolicyFile = (): Option => new Option('--audit-policy-file <file>', 'audit.k8s.io/v1 Policy: which requests are audited, at which level');
const auditLog = {
  path: () => new Option('--audit-log-path <file>', 'audit log file (one JSON Event per line; - for stdout)'),
  maxage: () => new Option('--audit-log-maxage <days>', 'days a rotated audit log is kept (0: no limit)').argParser(int),
  maxbackup: () => new Option('--audit-log-maxbackup <n>', 'rotated audit logs kept (0: no limit)').argParser(int),
  maxsize: () => new Option('--audit-log-maxsize <mb>', 'size in megabytes at which the audit log is rotated').argParser(int).default(100),
};

/** The datastore flags of `server` and `apiserver` (storage/open-datastore.ts, storage/snapshot.ts). */
const datastoreEndpoint = (): Option => new Option('--datastore-endpoint <endpoint>', 'sqlite://<file> (default: the data dir\'s SQLite file) or etcd client URLs http://host:port[,http://host:port…]');
const intervalMs = (v: string): number => {
  const ms = parseGoDurationMs(v) ?? 0;
  if (!(ms > 0)) throw new InvalidArgumentError(`expected a duration such as 6h, 30m or 90s, got "${v}"`);
  return ms;
};
const snapshotOptions = (): Option[] => [
  new Option('--snapshot-interval <duration>', 'take a datastore snapshot this often (e.g. 12h); default: none').argParser(intervalMs),
  new Option('--snapshot-retention <n>', 'scheduled snapshots kept (oldest removed first)').argParser(int).default(5),
  new Option('--snapshot-dir <dir>', 'folder of scheduled snapshots (default: <data-dir>/server/db/snapshots)'),
];

/** kube-apiserver's concurrency flags (API Priority and Fairness shares their sum among priority levels). */
const maxRequestsInflight = (): Option => new Option('--max-requests-inflight <n>', 'with --max-mutating-requests-inflight, the seats API Priority and Fairness shares among priority levels').argParser(int).default(400);
const maxMutatingRequestsInflight = (): Option => new Option('--max-mutating-requests-inflight <n>', 'added to --max-requests-inflight for the server\'s concurrency limit').argParser(int).default(200);

export async function main(argv: string[]): Promise<void> {
  releaseStartupSignalHandlers();
  const program = new Command('k8ts')
    .description('Kubernetes in TypeScript: a small, fast, compatible cluster')
    .version('0.1.0 (Kubernetes v1.32.4)');

  program.command('server')
    .description('run the control plane and this node (apiserver, scheduler, controller-manager, kubelet, containerd)')
    .option('--data-dir <dir>', 'folder of all state', DEFAULT_DATA_DIR)
    .option('--https-listen-port <port>', 'apiserver HTTPS port', (v) => Number(v), 6443)
    .option('--bind-address <ip>', 'address the apiserver listens on', '127.0.0.1')
    .option('--node-name <name>', 'name of this node (default: the hostname)')
    .option('--node-ip <ip>', 'InternalIP of this node; the kubelet API listens on it (default: the pod bridge gateway)')
    .option('--kubelet-port <port>', 'kubelet API HTTPS port', (v) => Number(v), 10250)
    .option('--cluster-cidr <cidr>', 'pod network; one /24 per node', '10.244.0.0/16')
    .option('--service-cidr <cidr>', 'service cluster IP range', '10.96.0.0/12')
    .option('--tls-san <name...>', 'extra names and IPs for the serving certificate', [])
    .option('--service-lb-pool <cidr>', 'addresses for LoadBalancer Services, one each (inside the service or cluster CIDR, or 127.0.0.0/8); default: the node address')
    .option('--disable-dns', 'do not deploy the cluster DNS add-on', false)
    .option('--disable-agent', 'run only the control plane, no kubelet or containerd', false)
    .option('--scheduler-config <file>', 'KubeSchedulerConfiguration file for the scheduler (profiles, plugins, weights)')
    .option('--scheduler-secure-port <port>', 'scheduler /metrics and health HTTPS port on 127.0.0.1 (0: off)', (v) => Number(v), 10259)
    .option('--controller-manager-secure-port <port>', 'controller manager /metrics and health HTTPS port on 127.0.0.1 (0: off)', (v) => Number(v), 10257)
    .option('--authorization-mode <modes>', 'ordered authorizers: AlwaysAllow, Node, RBAC', authorizationModesArg, ['Node', 'RBAC'])
    .option('--token-auth-file <file>', 'static bearer tokens: CSV of token,user,uid,"group1,group2"')
    .addOption(auditPolicyFile()).addOption(auditLog.path()).addOption(auditLog.maxage()).addOption(auditLog.maxbackup()).addOption(auditLog.maxsize())
    .addOption(maxRequestsInflight()).addOption(maxMutatingRequestsInflight()).addOption(encryptionProviderConfig())
    .addOption(datastoreEndpoint()).addOption(snapshotOptions()[0]).addOption(snapshotOptions()[1]).addOption(snapshotOptions()[2])
    .addOption(new Option('--bridge <name>', 'pod network bridge').default('k8ts0').hideHelp())
    .action(async (opts) => {
      terminationSignal();
      const { runServerCommand } = await import('./server-command.js');
      await runServerCommand(opts);
    });

  program.command('apiserver')
    .description('run only the apiserver (SQLite storage in the data dir, or etcd with --datastore-endpoint)')
    .option('--data-dir <dir>', 'folder of all state', DEFAULT_DATA_DIR)
    .option('--https-listen-port <port>', 'HTTPS port', (v) => Number(v), 6443)
    .option('--bind-address <ip>', 'listen address', '127.0.0.1')
    .option('--service-cidr <cidr>', 'service cluster IP range', '10.96.0.0/12')
    .option('--authorization-mode <modes>', 'ordered authorizers: AlwaysAllow, Node, RBAC', authorizationModesArg, ['Node', 'RBAC'])
    .option('--token-auth-file <file>', 'static bearer tokens: CSV of token,user,uid,"group1,group2"')
    .addOption(auditPolicyFile()).addOption(auditLog.path()).addOption(auditLog.maxage()).addOption(auditLog.maxbackup()).addOption(auditLog.maxsize())
    .addOption(maxRequestsInflight()).addOption(maxMutatingRequestsInflight()).addOption(encryptionProviderConfig())
    .addOption(datastoreEndpoint()).addOption(snapshotOptions()[0]).addOption(snapshotOptions()[1]).addOption(snapshotOptions()[2])
    .action(async (opts) => {
      terminationSignal();
      const { runApiServerCommand } = await import('./component-commands.js');
      await runApiServerCommand(opts);
    });

  for (const name of ['scheduler', 'controller-manager'] as const) {
    program.command(name)
      .description(`run only the ${name} against an apiserver`)
      .requiredOption('--kubeconfig <path>', 'kubeconfig of the apiserver to use')
      .option('--cluster-cidr <cidr>', 'pod network (controller-manager)', '10.244.0.0/16')
      .option('--config <file>', 'KubeSchedulerConfiguration file (scheduler)')
      .option('--secure-port <port>', 'HTTPS port of /metrics and /healthz (client certificates of the kubeconfig\'s CA); 0 disables', (v) => Number(v), name === 'scheduler' ? 10259 : 10257)
      .option('--bind-address <ip>', 'address the secure port listens on', '127.0.0.1')
      .option('--cluster-signing-cert-file <file>', 'PEM CA certificate the csrsigning controller signs approved CSRs with (controller-manager; with --cluster-signing-key-file)')
      .option('--cluster-signing-key-file <file>', 'PEM private key of that CA (controller-manager)')
      .option('--cluster-signing-duration <duration>', 'longest validity of a signed certificate, e.g. 8760h (controller-manager)', '8760h')
      .addOption(new Option('--leader-elect-lease-duration <duration>', 'how long a non-leader waits after the last renewal before taking the Lease').argParser(intervalMs).default(15_000, '15s'))
      .addOption(new Option('--leader-elect-renew-deadline <duration>', 'how long the leader keeps trying to renew before it stops leading').argParser(intervalMs).default(10_000, '10s'))
      .addOption(new Option('--leader-elect-retry-period <duration>', 'pause between acquire and renew attempts').argParser(intervalMs).default(2_000, '2s'))
      .action(async (opts) => {
        terminationSignal();
        const { runComponentCommand } = await import('./component-commands.js');
        await runComponentCommand(name, opts);
      });
  }

  program.command('kube-proxy')
    .description('run only kube-proxy (nftables) for this node against an apiserver')
    .requiredOption('--kubeconfig <path>', 'kubeconfig of the apiserver to use')
    .requiredOption('--node-ip <ip>', 'this node\'s InternalIP (node ports answer there and on 127.0.0.1)')
    .option('--node-name <name>', 'this node (Local traffic policies keep its endpoints)', hostname().toLowerCase())
    .option('--cluster-cidr <cidr>', 'pod network; other clients are masqueraded on cluster IPs', '10.244.0.0/16')
    .action(async (opts) => {
      terminationSignal();
      const { runKubeProxyCommand } = await import('./component-commands.js');
      await runKubeProxyCommand(opts);
    });

  program.command('cloud-controller-manager')
    .description('run only the cloud controller manager (LoadBalancer Services) against an apiserver')
    .requiredOption('--kubeconfig <path>', 'kubeconfig of the apiserver to use')
    .option('--service-lb-pool <cidr>', 'addresses for LoadBalancer Services (default: the nodes\' InternalIPs)')
    .action(async (opts) => {
      terminationSignal();
      const { runCloudControllerManagerCommand } = await import('./component-commands.js');
      await runCloudControllerManagerCommand(opts);
    });

  program.command('killall')
    .description('stop every pod, shim and containerd of this node; remove its bridge, routes, nft tables, mounts and netns')
    .option('--data-dir <dir>', 'folder of all state', DEFAULT_DATA_DIR)
    .addOption(new Option('--bridge <name>', 'pod network bridge').default('k8ts0').hideHelp())
    .action(async (opts) => {
      const { killall } = await import('../runtime/killall.js');
      await killall({ dataDir: opts.dataDir, bridge: opts.bridge, log: (m: string) => console.log(m) });
    });

  const snapshot = program.command('snapshot').description('back up and restore the datastore (SQLite file or etcd)');
  snapshot.command('save <file>')
    .description('write a snapshot of the datastore to <file> while the server runs (SQLite online backup, or etcd\'s snapshot)')
    .option('--data-dir <dir>', 'folder of all state (its SQLite file is the default datastore)', DEFAULT_DATA_DIR)
    .addOption(datastoreEndpoint())
    .action(async (file: string, opts) => {
      const { saveSnapshot } = await import('../storage/snapshot.js');
      const { databasePath } = await import('../server/data-dir.js');
      await saveSnapshot(opts.datastoreEndpoint, databasePath(opts.dataDir), file);
      console.log(`snapshot saved to ${file}`);
    });
  snapshot.command('restore <file>')
    .description('restore the datastore from <file>: SQLite into the data dir of a stopped server; etcd into a new member data directory (--etcd-data-dir) to start etcd on')
    .option('--data-dir <dir>', 'folder of all state (its SQLite file is the default datastore)', DEFAULT_DATA_DIR)
    .addOption(datastoreEndpoint())
    .option('--etcd-data-dir <dir>', 'etcd: the new member data directory to create')
    .option('--etcd-name <name>', 'etcd: the member name (etcd --name)')
    .option('--etcd-initial-cluster <members>', 'etcd: name=peerURL,… (etcd --initial-cluster)')
    .option('--etcd-initial-advertise-peer-urls <urls>', 'etcd: this member\'s peer URLs')
    .action(async (file: string, opts) => {
      const { restoreSnapshot } = await import('../storage/snapshot.js');
      const { databasePath } = await import('../server/data-dir.js');
      await restoreSnapshot(opts.datastoreEndpoint, databasePath(opts.dataDir), file, opts.etcdDataDir ? { dataDir: opts.etcdDataDir, name: opts.etcdName, initialCluster: opts.etcdInitialCluster, initialAdvertisePeerUrls: opts.etcdInitialAdvertisePeerUrls } : undefined);
      console.log(`restored from ${file}`);
    });

  program.command('datastore').description('datastore maintenance')
    .command('migrate')
    .description('copy every object from one datastore to another, empty one (SQLite ↔ etcd), keeping their order; stop the servers first')
    .requiredOption('--from <endpoint>', 'source: sqlite://<file> or etcd client URLs')
    .requiredOption('--to <endpoint>', 'target (must be empty): sqlite://<file> or etcd client URLs')
    .addOption(encryptionProviderConfig())
    .action(async (opts) => {
      const { migrateCommand } = await import('./datastore-command.js');
      await migrateCommand(opts);
    });

  const images = program.command('images').description('offline container images');
  images.command('build')
    .description('build busybox and pause images from Debian\'s busybox-static, and the cluster DNS image from this Node.js runtime, into <data-dir>/agent/images (imported by the server at start); also bundles the server\'s component threads')
    .option('--data-dir <dir>', 'folder of all state', DEFAULT_DATA_DIR)
    .action(async (opts) => {
      const { buildImages } = await import('../runtime/images.js');
      const { imagesDir } = await import('../server/data-dir.js');
      const { buildDnsImage } = await import('../runtime/dns-image.js');
      const files = await buildImages({ outDir: imagesDir(opts.dataDir), log: (m: string) => console.log(m) });
      for (const f of files) console.log(f);
      console.log(await buildDnsImage({ outDir: imagesDir(opts.dataDir), log: (m: string) => console.log(m) }));
      // Not an image: the component threads' bundles (server/component-bundle.ts), so that the first server start need not build them.
      const { buildComponentBundles } = await import('../server/component-bundle.js');
      await buildComponentBundles((m: string) => console.log(m));
    });

  await program.parseAsync(argv, { from: 'user' });
}
