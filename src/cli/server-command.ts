/**
 * `k8ts server`: runs {@link startServer} until SIGTERM/SIGINT, then stops cleanly
 * (pods keep running; see `k8ts killall`).
 */
import { startServer } from '../server/start-server.js';
import { terminationSignal } from './termination.js';
import type { AuthorizationMode } from '../apiserver/authz/authorization-modes.js';
import { auditorFromFlags, type AuditFlags } from '../apiserver/audit/options.js';
import { snapshotSchedule } from './datastore-command.js';

export interface ServerCommandOptions extends AuditFlags {
  dataDir: string; httpsListenPort: number; bindAddress: string; nodeName?: string; nodeIp?: string;
  kubeletPort: number; clusterCidr: string; serviceCidr: string; tlsSan: string[]; serviceLbPool?: string; disableAgent: boolean; disableDns: boolean; bridge: string; schedulerConfig?: string;
  schedulerSecurePort: number; controllerManagerSecurePort: number; authorizationMode: AuthorizationMode[]; tokenAuthFile?: string;
  maxRequestsInflight?: number; maxMutatingRequestsInflight?: number; encryptionProviderConfig?: string;
  datastoreEndpoint?: string; snapshotInterval?: number; snapshotRetention?: number; snapshotDir?: string;
}

/** Starts the server and blocks until a termination signal. */
export async function runServerCommand(o: ServerCommandOptions): Promise<void> {
  // Handlers first: a signal during start-up (image import, containerd start) stops the
  // server once it has started, instead of killing it half-way with its pods unadopted.
  const signalled = terminationSignal().done;
  const t0 = Date.now();
  const server = await startServer({
    dataDir: o.dataDir, httpsListenPort: o.httpsListenPort, bindAddress: o.bindAddress, nodeName: o.nodeName,
    nodeIP: o.nodeIp, kubeletPort: o.kubeletPort, clusterCIDR: o.clusterCidr, serviceCIDR: o.serviceCidr,
    tlsSANs: o.tlsSan, loadBalancerPool: o.serviceLbPool, disableAgent: o.disableAgent, disableDns: o.disableDns, bridge: o.bridge, schedulerConfigPath: o.schedulerConfig,
    schedulerSecurePort: o.schedulerSecurePort, controllerManagerSecurePort: o.controllerManagerSecurePort, authorizationModes: o.authorizationMode, tokenAuthFile: o.tokenAuthFile,
    auditor: auditorFromFlags(o), encryptionProviderConfig: o.encryptionProviderConfig,
    datastoreEndpoint: o.datastoreEndpoint, snapshots: snapshotSchedule(o),
    flowControl: { maxRequestsInflight: o.maxRequestsInflight, maxMutatingRequestsInflight: o.maxMutatingRequestsInflight },
  });
  console.log(`k8ts server running at ${server.url} (started in ${Date.now() - t0} ms)`);
  console.log(`kubeconfig: ${server.kubeconfigPath}  (export KUBECONFIG=${server.kubeconfigPath})`);
  await signalled;
  console.log('shutting down');
  await server.stop();
  console.log('stopped');
  process.exit(0);
}
