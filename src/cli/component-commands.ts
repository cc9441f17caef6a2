/**
 * Single-component commands: `k8ts apiserver` (SQLite storage in the data dir) and
 * `k8ts scheduler` / `k8ts controller-manager` against any apiserver given by a
 * kubeconfig (ARCHITECTURE.md §1: every component also runs as its own process).
 */
import { loadEncryptionConfiguration } from '../storage/encryption/encryption-config.js';
import { readFileSync } from 'node:fs';
import { runProxier } from '../proxy/proxier.js';
import { ServiceLBController } from '../cloud/service-lb.js';
import { ensurePki } from '../pki/pki.js';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { openDatastore } from '../storage/open-datastore.js';
import { snapshotSchedule } from './datastore-command.js';
import { createRegistry } from '../apiserver/registry/index.js';
import { builtinResourceTable } from '../api/builtin-resources.js';
import { startApiServer } from '../apiserver/server.js';
import { createClient, loadKubeconfig } from '../client/rest-client.js';
import { createSharedInformerFactory } from '../client/informers/shared-informer-factory.js';
import { runWithLeaderElection } from '../client/leader-election.js';
import { loadSchedulerConfiguration } from '../scheduler/config.js';
import { defaultProfile, pluginRegistry } from '../scheduler/plugins/registry.js';
import { ensureBootstrapNamespaces } from '../controllers/bootstrap/bootstrap.js';
import { databasePath, kubeconfigPath, tlsDir } from '../server/data-dir.js';
import { selfSignedServingCertificate } from '../server/component-metrics-server.js';
import { runSchedulerComponent } from '../server/scheduler-component.js';
import { runControllerManagerComponent } from '../server/controller-manager-component.js';
import { serviceAccountTokensFor } from '../apiserver/authn/service-account-token.js';
import type { AuthorizationMode } from '../apiserver/authz/authorization-modes.js';
import { terminationSignal } from './termination.js';
import { reconcileBootstrapPolicy } from '../apiserver/authz/bootstrap-policy/reconcile.js';
import { X509Authenticator } from '../apiserver/authn/x509.js';
import { StaticTokenAuthenticator } from '../apiserver/authn/static-token-file.js';
import { auditorFromFlags, type AuditFlags } from '../apiserver/audit/options.js';
import { ensureFlowControlBootstrap } from '../apiserver/flowcontrol/ensure-bootstrap.js';
import { parseGoDurationMs } from '../machinery/duration.js';

const untilSignal = (): { signal: AbortSignal; done: Promise<unknown> } => terminationSignal();

/** `k8ts apiserver`. */
export async function runApiServerCommand(o: { dataDir: string; httpsListenPort: number; bindAddress: string; serviceCidr: string; authorizationMode?: AuthorizationMode[]; tokenAuthFile?: string; maxRequestsInflight?: number; maxMutatingRequestsInflight?: number; encryptionProviderConfig?: string; datastoreEndpoint?: string; snapshotInterval?: number; snapshotRetention?: number; snapshotDir?: string } & AuditFlags): Promise<void> {
  // Handlers first: a signal during start-up stops the command once it has started, instead of killing it.
  const { done } = untilSignal();
  const modes = o.authorizationMode ?? ['Node', 'RBAC'];
  const pki = await ensurePki(tlsDir(o.dataDir));
  const storage = await openDatastore({ path: databasePath(o.dataDir), endpoint: o.datastoreEndpoint, snapshots: snapshotSchedule(o), log: (m) => console.error(m), transformer: o.encryptionProviderConfig ? loadEncryptionConfiguration(o.encryptionProviderConfig) : undefined });
  const kc = await pki.issueCertificate({ commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usages: 'client' });
  const registry = createRegistry(storage, { table: builtinResourceTable(), serviceCIDR: o.serviceCidr, serviceAccountTokens: serviceAccountTokensFor(pki.serviceAccountKeyPem), authorizationModes: modes, authorizeAnonymous: modes.includes('RBAC'), bootstrapTokens: true,
    authenticators: [new X509Authenticator(), ...(o.tokenAuthFile ? [StaticTokenAuthenticator.fromFile(o.tokenAuthFile)] : [])], kubeletClient: { certPem: kc.certPem, keyPem: kc.keyPem, caPem: pki.ca.certPem },
    admissionLog: (m) => console.error(`admission: ${m}`) });
  const auditor = auditorFromFlags(o);
  const server = await startApiServer({ registry, pki, port: o.httpsListenPort, host: o.bindAddress, auditor, flowControl: { maxRequestsInflight: o.maxRequestsInflight, maxMutatingRequestsInflight: o.maxMutatingRequestsInflight } });
  const url = `https://${o.bindAddress === '0.0.0.0' ? '127.0.0.1' : o.bindAddress}:${server.port}`;
  writeKubeconfig(kubeconfigPath(o.dataDir), { server: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
  const admin = createClient({ server: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
  await ensureBootstrapNamespaces(admin);
  if (modes.includes('RBAC')) for (const e of (await reconcileBootstrapPolicy(admin)).errors) console.error(`RBAC bootstrap policy: ${e.object}: ${e.error}`);
  for (const e of (await ensureFlowControlBootstrap(admin)).errors) console.error(`flowcontrol bootstrap configuration: ${e.object}: ${e.error}`);
  console.log(`apiserver at ${url}; kubeconfig ${kubeconfigPath(o.dataDir)}`);
  await done;
  await server.close();
  await storage.close();
  process.exit(0);
}

/** The CA bundle of a kubeconfig; the controller manager publishes it (kube-root-ca.crt). */
function requireCA(caPem: string | undefined): string {
  if (!caPem) throw new Error('the kubeconfig has no certificate-authority data; the controller manager publishes it as kube-root-ca.crt');
  return caPem;
}

/** Options of `k8ts scheduler` / `k8ts controller-manager`. */
export interface ComponentCommandOptions {
  kubeconfig: string;
  clusterCidr: string;
  config?: string;
  /** The secure port of /metrics and /healthz (upstream 10259 / 10257); 0: none. */
  securePort: number;
  /** Its listen address (default 127.0.0.1). */
  bindAddress: string;
  /** The CA csrsigning signs with (upstream --cluster-signing-cert-file/-key-file); without both, csrsigning does not run. */
  clusterSigningCertFile?: string;
  clusterSigningKeyFile?: string;
  /** Go duration ('8760h', '30m'): the longest validity it grants. */
  clusterSigningDuration?: string;
  /** Leader election timing in ms (upstream --leader-elect-lease-duration/-renew-deadline/-retry-period: 15s, 10s, 2s). */
  leaderElectLeaseDuration?: number;
  leaderElectRenewDeadline?: number;
  leaderElectRetryPeriod?: number;
}

/** Whole seconds of a Go duration ('8760h', '1h30m', '90s'; machinery/duration.ts). @throws Error when it is not one. */
export function durationSeconds(text: string): number {
  const ms = parseGoDurationMs(text);
  if (ms === undefined) throw new Error(`invalid duration "${text}"`);
  return Math.floor(ms / 1000);
}

/**
 * `k8ts scheduler` and `k8ts controller-manager`. The secure port serves a self-signed
 * certificate (the command has no CA key) and admits client certificates of the
 * kubeconfig's CA; a kubeconfig without CA data is an error unless `--secure-port 0`.
 */
export async function runComponentCommand(name: 'scheduler' | 'controller-manager', o: ComponentCommandOptions): Promise<void> {
  // Handlers first: a signal during start-up stops the command once it has started, instead of killing it.
  const { signal } = untilSignal();
  const config = loadKubeconfig(o.kubeconfig);
  const lease = name === 'scheduler' ? 'kube-scheduler' : 'kube-controller-manager';
  // A bad KubeSchedulerConfiguration stops the command before it takes part in leader election.
  if (name === 'scheduler' && o.config) loadSchedulerConfiguration(o.config, defaultProfile, pluginRegistry);
  const bindAddress = o.bindAddress || '127.0.0.1';
  const secure = o.securePort ? {
    host: bindAddress, port: o.securePort, required: true,
    tls: { ...selfSignedServingCertificate(lease, [...new Set(['localhost', '127.0.0.1', ...(bindAddress === '0.0.0.0' ? [] : [bindAddress])])]), caPem: requireClientCA(config.caPem) },
  } : undefined;
  const leaderElection = { leaseDurationMs: o.leaderElectLeaseDuration, renewDeadlineMs: o.leaderElectRenewDeadline, retryPeriodMs: o.leaderElectRetryPeriod };
  const ctx = { signal, log: (m: string) => console.log(m), call: () => Promise.reject(new Error('no main thread to call')) };
  if (name === 'scheduler') {
    await runSchedulerComponent({ client: config, configPath: o.config, secure, leaderElection }, ctx);
  } else {
    const signingAuthority = o.clusterSigningCertFile && o.clusterSigningKeyFile
      ? { certPem: readFileSync(o.clusterSigningCertFile, 'utf8'), keyPem: readFileSync(o.clusterSigningKeyFile, 'utf8'), maxDurationSeconds: durationSeconds(o.clusterSigningDuration ?? '8760h') }
      : undefined;
    await runControllerManagerComponent({ client: config, clusterCIDR: o.clusterCidr, rootCA: requireCA(config.caPem), signingAuthority, secure, leaderElection }, ctx);
  }
  process.exit(0);
}

/** The CA bundle client certificates of the secure port must chain to. */
function requireClientCA(caPem: string | undefined): string {
  if (!caPem) throw new Error('the kubeconfig has no certificate-authority data, needed to check the client certificates of the secure port (use --secure-port 0 to serve none)');
  return caPem;
}

/**
 * `k8ts kube-proxy`: the nftables proxier against an apiserver, for a node whose address
 * is `--node-ip` (node ports answer there and on 127.0.0.1). Not leader-elected: one
 * per node, as upstream's DaemonSet.
 */
export async function runKubeProxyCommand(o: { kubeconfig: string; nodeName: string; nodeIp: string; clusterCidr: string }): Promise<void> {
  // Handlers first: a signal during start-up stops the command once it has started, instead of killing it.
  const { signal, done } = untilSignal();
  const client = createClient(loadKubeconfig(o.kubeconfig));
  const informers = createSharedInformerFactory(client);
  const running = runProxier({ client, informers, nodeName: o.nodeName, nodeIP: o.nodeIp, clusterCIDR: o.clusterCidr, signal });
  informers.start(signal);
  console.log(`kube-proxy running (nftables table ip k8ts-proxy, node ${o.nodeName} ${o.nodeIp})`);
  await done;
  await running;
  process.exit(0);
}

/** `k8ts cloud-controller-manager`: the LoadBalancer controller (ServiceLB, or `--service-lb-pool`), leader-elected. */
export async function runCloudControllerManagerCommand(o: { kubeconfig: string; serviceLbPool?: string }): Promise<void> {
  // Handlers first: a signal during start-up stops the command once it has started, instead of killing it.
  const { signal, done } = untilSignal();
  const client = createClient(loadKubeconfig(o.kubeconfig));
  const running = runWithLeaderElection({ client, name: 'cloud-controller-manager', signal }, async (leading) => {
    const informers = createSharedInformerFactory(client);
    const p = new ServiceLBController(client, informers, { pool: o.serviceLbPool }).run(leading, 2);
    informers.start(leading);
    await p;
  });
  console.log('cloud-controller-manager running (leader election on kube-system/cloud-controller-manager)');
  await done;
  await running;
  process.exit(0);
}
