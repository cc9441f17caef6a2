/**
 * The all-in-one `k8ts server`: starts, in this process, the apiserver (HTTPS, SQLite
 * storage), the scheduler, the controller manager, the cloud controller manager and —
 * unless `disableAgent` — the node: a containerd child process, the kubelet and
 * kube-proxy. The scheduler, the controller manager and the node (kubelet + kube-proxy)
 * each run in their own worker thread (component-thread.ts). Components talk to the
 * apiserver over HTTPS with their own client certificates, exactly as separate processes
 * would (ARCHITECTURE.md §1); only the apiserver touches storage.
 *
 * Embeddable: a TypeScript test can `await startServer({...})` and `await stop()`.
 * Stopping leaves pods running (containerd shims keep them); the next start on the same
 * data dir adopts them. `killall` (runtime/killall.ts) removes everything.
 */
import { loadEncryptionConfiguration } from '../storage/encryption/encryption-config.js';
import { mkdirSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { ensurePki } from '../pki/pki.js';
import { writeKubeconfig } from '../pki/kubeconfig.js';
import { openDatastore } from '../storage/open-datastore.js';
import type { SnapshotSchedule } from '../storage/snapshot.js';
import { createRegistry } from '../apiserver/registry/index.js';
import { builtinResourceTable } from '../api/builtin-resources.js';
import { startApiServer } from '../apiserver/server.js';
import { VERSION_INFO } from '../apiserver/endpoints/handler.js';
import { createClient, type ClientConfig } from '../client/rest-client.js';
import { createSharedInformerFactory } from '../client/informers/shared-informer-factory.js';
import type { Client } from '../client/interface.js';
import { runWithLeaderElection } from '../client/leader-election.js';
import { ensureBootstrapNamespaces } from '../controllers/bootstrap/bootstrap.js';
import { runKubernetesEndpointsReconciler } from '../controllers/bootstrap/kubernetes-endpoints.js';
import { startContainerd, type ContainerdHandle } from '../runtime/containerd.js';
import { buildImages, importImages } from '../runtime/images.js';
import { buildDnsImage } from '../runtime/dns-image.js';
import { ensureClusterDns } from './addons/cluster-dns.js';
import { ServiceLBController } from '../cloud/service-lb.js';
import { cidrContains } from '../machinery/cidr.js';
import { databasePath, imagesDir, kubeconfigPath, kubeletDir, tlsDir } from './data-dir.js';
import { serviceAccountTokensFor } from '../apiserver/authn/service-account-token.js';
import type { AuthorizationMode } from '../apiserver/authz/authorization-modes.js';
import { reconcileBootstrapPolicy } from '../apiserver/authz/bootstrap-policy/reconcile.js';
import { ensureComponentRbac } from './component-rbac.js';
import { resources } from '../client/interface.js';
import { isNotFound } from '../machinery/errors.js';
import { sleepUntilAborted } from '../machinery/time.js';
import { X509Authenticator } from '../apiserver/authn/x509.js';
import { StaticTokenAuthenticator } from '../apiserver/authn/static-token-file.js';
import type { Auditor } from '../apiserver/audit/auditor.js';
import type { FlowControlSettings } from '../apiserver/flowcontrol/flow-control-filter.js';
import { ensureFlowControlBootstrap } from '../apiserver/flowcontrol/ensure-bootstrap.js';
import { startComponentThread, type ComponentThread } from './component-thread.js';
import { COMPONENT_THREAD_ENTRIES } from './component-bundle.js';
import type { SchedulerComponentOptions } from './scheduler-component.js';
import type { ControllerManagerComponentOptions } from './controller-manager-component.js';
import type { NodeComponentOptions } from './node-component.js';
import type { SecurePortOptions } from './elected-component.js';

/** Options of {@link startServer}; every field has the CLI's default. */
export interface ServerOptions {
  /** Folder of all state. */
  dataDir: string;
  /** apiserver HTTPS port; 0 picks a free one. Default 6443. */
  httpsListenPort?: number;
  /** apiserver listen address. Default 127.0.0.1. */
  bindAddress?: string;
  /** Default: the hostname (lower-cased). */
  nodeName?: string;
  /**
   * Node InternalIP; the kubelet API listens there. Default: the gateway address of the
   * node's pod bridge (ARCHITECTURE.md §4), where the apiserver also listens so that
   * pods reach it through the `kubernetes` Service.
   */
  nodeIP?: string;
  /** kubelet API port. Default 10250. */
  kubeletPort?: number;
  clusterCIDR?: string;
  serviceCIDR?: string;
  /**
   * Addresses for LoadBalancer Services, one per Service (MetalLB-like). Must lie in the
   * service or cluster CIDR or 127.0.0.0/8, which are routed to the node (ARCHITECTURE.md §4).
   * Default: none; a LoadBalancer Service gets the node's address (ServiceLB-like).
   */
  loadBalancerPool?: string;
  /** Pod network bridge. Default k8ts0. */
  bridge?: string;
  /** Extra SANs for the serving certificate. */
  tlsSANs?: string[];
  /** No cluster DNS add-on (as k3s's `--disable coredns`). */
  disableDns?: boolean;
  /** Control plane only. */
  disableAgent?: boolean;
  /** A KubeSchedulerConfiguration file; read (and checked) before anything starts. */
  schedulerConfigPath?: string;
  /** The scheduler's secure port (/metrics, /healthz) on 127.0.0.1. Default 10259; 0: none. */
  schedulerSecurePort?: number;
  /** The controller manager's secure port (/metrics, /healthz) on 127.0.0.1. Default 10257; 0: none. */
  controllerManagerSecurePort?: number;
  /**
   * `--authorization-mode`. Default Node,RBAC (as kubeadm and k3s): requests are judged
   * by the Node authorizer and RBAC, the bootstrap policy is reconciled at start,
   * requests without credentials are judged as system:anonymous, and each controller
   * runs as its own ServiceAccount. AlwaysAllow: everyone authenticated may do anything.
   */
  authorizationModes?: AuthorizationMode[];
  /** `--token-auth-file`: a CSV of `token,user,uid,"groups"` (authn/static-token-file.ts). */
  tokenAuthFile?: string;
  /** `--audit-policy-file` and `--audit-log-*` made into an auditor (apiserver/audit/options.ts); absent: no auditing. */
  auditor?: Auditor;
  /** `--encryption-provider-config`: an EncryptionConfiguration file; values of the resources it lists are encrypted at rest. */
  encryptionProviderConfig?: string;
  /** `--datastore-endpoint`: sqlite://<file> or etcd client URLs (storage/open-datastore.ts); default the data dir's SQLite file. */
  datastoreEndpoint?: string;
  /** Scheduled datastore snapshots; default none. */
  snapshots?: SnapshotSchedule;
  /** `--max-requests-inflight` / `--max-mutating-requests-inflight` for API Priority and Fairness (default 400 + 200). */
  flowControl?: FlowControlSettings;
  log?: (msg: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** https://<bind>:<port> */
  url: string;
  kubeconfigPath: string;
  /** A client with admin rights. */
  client: Client;
  /** The component threads (scheduler, controller-manager, node) and their worker thread ids. */
  threads: ReadonlyArray<{ name: string; threadId: number }>;
  /** Stops every component; pods keep running. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the all-in-one server; resolves once the apiserver serves and every component runs. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const dataDir = opts.dataDir;
  const nodeName = (opts.nodeName ?? hostname()).toLowerCase();
  const clusterCIDR = opts.clusterCIDR ?? '10.244.0.0/16';
  const serviceCIDR = opts.serviceCIDR ?? '10.96.0.0/12';
  const bridge = opts.bridge ?? 'k8ts0';
  const loadBalancerPool = opts.loadBalancerPool;
  if (loadBalancerPool && ![serviceCIDR, clusterCIDR, '127.0.0.0/8'].some((c) => cidrContains(c, loadBalancerPool))) {
    throw new Error(`load-balancer pool ${loadBalancerPool} must lie inside the service CIDR ${serviceCIDR}, the cluster CIDR ${clusterCIDR} or 127.0.0.0/8 (addresses routed to this node only)`);
  }
  const authorizationModes = opts.authorizationModes ?? ['Node', 'RBAC'];
  const rbac = authorizationModes.includes('RBAC');
  mkdirSync(dataDir, { recursive: true });
  // A bad KubeSchedulerConfiguration stops the server before anything starts (the scheduler's thread reads it again).
  if (opts.schedulerConfigPath) {
    const [{ loadSchedulerConfiguration }, { defaultProfile, pluginRegistry }] = await Promise.all([import('../scheduler/config.js'), import('../scheduler/plugins/registry.js')]);
    loadSchedulerConfiguration(opts.schedulerConfigPath, defaultProfile, pluginRegistry);
  }

  const abort = new AbortController();
  // Every controller, informer and loop listens on this one signal.
  setMaxListeners(0, abort.signal);
  const stops: Array<() => Promise<void>> = [];
  const background: Promise<unknown>[] = [];
  const pending = new Set<string>();
  const run = (name: string, p: Promise<unknown>): void => {
    pending.add(name);
    background.push(p.catch((err) => { if (!abort.signal.aborted) log(`${name} failed: ${(err as Error)?.stack ?? err}`); }).finally(() => pending.delete(name)));
  };

  // The scheduler, the controller manager and the node each run in their own thread
  // (component-thread.ts): a busy one cannot starve the API server or the others. The
  // threads are bundled (or found in the cache) and load now, while the control plane
  // comes up, and start once their options are known.
  const threads: ComponentThread<never>[] = [];
  const starting: Array<Promise<unknown>> = [];
  const thread = <O>(name: keyof typeof COMPONENT_THREAD_ENTRIES): Promise<ComponentThread<O>> => {
    const t = startComponentThread<O>({ name, entry: COMPONENT_THREAD_ENTRIES[name], log }).then((t) => {
      threads.push(t);
      run(name, t.done);
      return t;
    });
    starting.push(t.catch(() => undefined));
    return t;
  };
  const schedulerThread = thread<SchedulerComponentOptions>('scheduler');
  const controllerManagerThread = thread<ControllerManagerComponentOptions>('controller-manager');
  const nodeThread = opts.disableAgent ? undefined : thread<NodeComponentOptions>('node');
  try {
    // The node's runtime starts while the control plane comes up.
    const containerdReady: Promise<ContainerdHandle | undefined> = opts.disableAgent
      ? Promise.resolve(undefined)
      : startContainerd({ dataDir, log }).then(async (handle) => {
        // A fresh data dir has no offline images yet: build them (once; ~2 s), then import.
        await buildImages({ outDir: imagesDir(dataDir), log }).catch((err) => log(`offline images could not be built (pods will need a registry): ${(err as Error).message}`));
        return handle;
      });
    // The cluster DNS image (Node.js runtime + the bundled DNS server), then every import.
    const dnsImage: Promise<string | undefined> = opts.disableAgent || opts.disableDns ? Promise.resolve(undefined)
      : buildDnsImage({ outDir: imagesDir(dataDir), log }).catch((err) => { log(`cluster DNS image could not be built: ${(err as Error).message}`); return undefined; });
    const imported = containerdReady.then(async (handle) => {
      if (!handle) return;
      await dnsImage;
      await importImages({ address: handle.address, dir: imagesDir(dataDir) });
    });

    const pki = await ensurePki(tlsDir(dataDir), { extraSANs: [...(opts.nodeIP ? [opts.nodeIP] : []), ...(opts.tlsSANs ?? [])] });
    const storage = await openDatastore({ path: databasePath(dataDir), endpoint: opts.datastoreEndpoint, snapshots: opts.snapshots, log, transformer: opts.encryptionProviderConfig ? loadEncryptionConfiguration(opts.encryptionProviderConfig) : undefined });
    stops.push(() => storage.close());
    const kubeletClientCert = await pki.issueCertificate({ commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usages: 'client' });
    const registry = createRegistry(storage, {
      table: builtinResourceTable(), serviceCIDR, serviceAccountTokens: serviceAccountTokensFor(pki.serviceAccountKeyPem),
      authorizationModes, authorizeAnonymous: rbac, bootstrapTokens: true,
      authenticators: [new X509Authenticator(), ...(opts.tokenAuthFile ? [StaticTokenAuthenticator.fromFile(opts.tokenAuthFile)] : [])],
      kubeletClient: { certPem: kubeletClientCert.certPem, keyPem: kubeletClientCert.keyPem, caPem: pki.ca.certPem },
      // A node given a loopback InternalIP: nodes/proxy (and hostNetwork pods' proxy) must reach it.
      proxy: { allowLoopback: /^127\.|^::1$/.test(opts.nodeIP ?? '') },
      admissionLog: (m) => log(`admission: ${m}`),
    });
    const bindAddress = opts.bindAddress ?? '127.0.0.1';
    const apiserver = await startApiServer({ registry, pki, port: opts.httpsListenPort ?? 6443, host: bindAddress, auditor: opts.auditor, flowControl: opts.flowControl });
    stops.unshift(() => apiserver.close());
    const url = `https://${opts.bindAddress && opts.bindAddress !== '0.0.0.0' ? opts.bindAddress : '127.0.0.1'}:${apiserver.port}`;

    const kubeconfig = kubeconfigPath(dataDir);
    writeKubeconfig(kubeconfig, { server: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem });
    log(`Wrote kubeconfig ${kubeconfig}`);

    // Each component's User-Agent starts with its program name, as upstream's do: it names the field manager of its writes.
    const credentialsAs = async (commonName: string, program: string, organizations: string[] = []): Promise<ClientConfig> => {
      const cert = await pki.issueCertificate({ commonName, organizations, usages: 'client' });
      return { server: url, caPem: pki.ca.certPem, certPem: cert.certPem, keyPem: cert.keyPem, userAgent: `${program}/${VERSION_INFO.gitVersion} (${VERSION_INFO.platform}) ${commonName}` };
    };
    const admin = createClient({ server: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem, userAgent: 'k8ts-server' });

    await ensureBootstrapNamespaces(admin, { apiserverPort: apiserver.port });
    if (rbac) {
      // Upstream's bootstrap roles and bindings, then those of k8ts' own components (component-rbac.ts).
      const report = await reconcileBootstrapPolicy(admin);
      for (const e of report.errors) log(`RBAC bootstrap policy: ${e.object}: ${e.error}`);
      await ensureComponentRbac(admin);
    }
    // API Priority and Fairness: upstream's mandatory and suggested FlowSchemas and priority levels.
    for (const e of (await ensureFlowControlBootstrap(admin)).errors) log(`flowcontrol bootstrap configuration: ${e.object}: ${e.error}`);

    // The scheduler's and the controller manager's secure ports (/metrics, /healthz): serving
    // certificates from the PKI, scrapers need a client certificate of the cluster CA.
    const securePort = async (component: string, port: number): Promise<SecurePortOptions | undefined> => {
      if (!port) return undefined;
      const cert = await pki.issueCertificate({ commonName: component, dnsNames: ['localhost', component], ipAddresses: ['127.0.0.1'], usages: 'server' });
      return { host: '127.0.0.1', port, tls: { certPem: cert.certPem, keyPem: cert.keyPem, caPem: pki.ca.certPem } };
    };

    (await schedulerThread).start({
      client: await credentialsAs('system:kube-scheduler', 'kube-scheduler'), configPath: opts.schedulerConfigPath,
      secure: await securePort('kube-scheduler', opts.schedulerSecurePort ?? 10259),
    });
    run('cluster-dns', dnsImage.then(async (image) => { if (image) await ensureClusterDns(admin, { image, reverseCidrs: [serviceCIDR, clusterCIDR] }); }));

    // The cloud controller manager: LoadBalancer Services through the local provider (ServiceLB, or a pool).
    const ccmClient = createClient(await credentialsAs('system:cloud-controller-manager', 'cloud-controller-manager'));
    run('cloud-controller-manager', runWithLeaderElection({ client: ccmClient, name: 'cloud-controller-manager', signal: abort.signal }, async (leading) => {
      const informers = createSharedInformerFactory(ccmClient);
      const running = new ServiceLBController(ccmClient, informers, { pool: loadBalancerPool }).run(leading, 2);
      informers.start(leading);
      await running;
    }));
    (await controllerManagerThread).start({
      client: await credentialsAs('system:kube-controller-manager', 'kube-controller-manager'),
      clusterCIDR, rootCA: pki.ca.certPem, signingAuthority: { certPem: pki.ca.certPem, keyPem: pki.ca.keyPem },
      // Under RBAC each controller is its own ServiceAccount (upstream --use-service-account-credentials, as kubeadm sets).
      serviceAccountCredentials: rbac ? { server: url, caPem: pki.ca.certPem, userAgent: `kube-controller-manager/${VERSION_INFO.gitVersion}` } : undefined,
      secure: await securePort('kube-controller-manager', opts.controllerManagerSecurePort ?? 10257),
    });

    // The node.
    let containerd: ContainerdHandle | undefined;
    if (nodeThread) {
      containerd = await containerdReady;
      await imported;
      let nodeAnnounced = false;
      (await nodeThread).start({
        kubeletClient: await credentialsAs(`system:node:${nodeName}`, 'kubelet', ['system:nodes']),
        proxyClient: await credentialsAs('system:kube-proxy', 'kube-proxy'),
        nodeName, nodeIP: opts.nodeIP, criAddress: containerd!.address, kubeletDir: kubeletDir(dataDir), port: opts.kubeletPort ?? 10250,
        caPem: pki.ca.certPem, network: { dataDir, bridge, clusterCIDR, serviceCIDR },
      }, {
        servingCertificate: (ip: string) => pki.issueCertificate({ commonName: nodeName, dnsNames: [nodeName, 'localhost'], ipAddresses: [ip], usages: 'server' }).then((c) => ({ certPem: c.certPem, keyPem: c.keyPem })),
        // The apiserver listens on the node's address too and advertises it as the `kubernetes` Service's endpoint.
        nodeIP: async (ip: string) => {
          if (nodeAnnounced) return;
          if (bindAddress !== '0.0.0.0' && ip !== bindAddress && !ip.startsWith('127.')) await apiserver.listenAlso(ip);
          nodeAnnounced = true;
          run('kubernetes-endpoints', runKubernetesEndpointsReconciler(admin, { addresses: [ip], port: apiserver.port }, abort.signal, { log }));
        },
      });
      // The role label is the server's to set, not the kubelet's (NodeRestriction refuses
      // node-role.kubernetes.io/* from a kubelet): k3s's server labels its node the same way.
      run('node-role', labelNodeWhenRegistered(admin, nodeName, { 'node-role.kubernetes.io/control-plane': 'true' }, abort.signal));
    }

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        abort.abort();
        // A component that does not end within 5 s is named in the log (it is still awaited).
        const slow = setTimeout(() => log(`stop: still waiting for ${[...pending].join(', ')}`), 5000);
        await Promise.allSettled([...threads.map((t) => t.stop()), ...background]);
        clearTimeout(slow);
        if (containerd) await containerd.stop();
        for (const s of stops) await s().catch((err) => log(`stop: ${err}`));
      })();
      return stopped;
    };
    return { url, kubeconfigPath: kubeconfig, client: admin, threads: threads.map((t) => ({ name: t.name, threadId: t.threadId })), stop };
  } catch (err) {
    // A server that cannot start leaves no thread behind.
    abort.abort();
    await Promise.allSettled(starting);
    await Promise.allSettled(threads.map((t) => t.stop(0)));
    throw err;
  }
}

/** Merge-patches `labels` onto Node `name` once it exists (polled every 200 ms until `signal` aborts). Throws the API's other errors. */
async function labelNodeWhenRegistered(admin: Client, name: string, labels: Record<string, string>, signal: AbortSignal): Promise<void> {
  const nodes = admin.resource(resources.nodes);
  while (!signal.aborted) {
    try {
      await nodes.patch(name, { metadata: { labels } }, 'application/merge-patch+json');
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    await sleepUntilAborted(200, signal);
  }
}
