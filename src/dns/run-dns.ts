/**
 * The cluster DNS server as a component (CoreDNS with the Corefile kubeadm installs:
 * `errors, health :8080, ready :8181, kubernetes cluster.local in-addr.arpa ip6.arpa
 * {pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 5}, forward . /etc/resolv.conf`):
 * shared informers on Services and EndpointSlices feed a {@link DnsRecords} index; the
 * UDP/TCP listeners answer from it and forward the rest; `/health` and `/ready` report.
 */
import type { Client, ResourceRef } from '../client/interface.js';
import { createSharedInformerFactory } from '../client/informers/shared-informer-factory.js';
import { unwrapTombstone } from '../client/informers/shared-informer.js';
import type { SharedInformerFactory } from '../client/informers/types.js';
import type { EndpointSlice } from '../api/discovery/v1/endpoint-slice.js';
import type { Service } from '../api/core/v1/types.js';
import type { Pod } from '../api/core/v1/pod-types.js';
import { DnsRecords } from './records.js';
import { Resolver, type PodsMode } from './resolver.js';
import { Forwarder, defaultUpstreams } from './forwarder.js';
import { QueryHandler } from './handler.js';
import { ForwardCache } from './forward-cache.js';
import { startDnsServer } from './server.js';
import { startHealthServers } from './health.js';

/** Version in the start line. */
export const K8TS_DNS_VERSION = '0.1.0';

/** The EndpointSlice resource (discovery.k8s.io/v1 endpointslices). */
export const endpointSlicesRef: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
/**
 * Plain refs rather than the resource table's: the DNS image bundles this module, and
 * the definitions would bring the whole API machinery (schemas, descriptors) with them.
 */
const servicesRef: ResourceRef = { group: '', version: 'v1', resource: 'services' };
const podsRef: ResourceRef = { group: '', version: 'v1', resource: 'pods' };

/** Options of {@link startClusterDns} / {@link runDnsServer}. Ports: 0 = pick a free one. */
export interface DnsServerRunOptions {
  client: Client;
  /** Cluster domain (default `cluster.local`). */
  domain?: string;
  /** Listen address (default 0.0.0.0) and port (default 53). */
  host?: string;
  port?: number;
  /** `/health` port (default 8080, as CoreDNS) and `/ready` port (default 8181); false → not served; 0 → a free port. */
  healthPort?: number | false;
  readyPort?: number | false;
  /** Upstream resolvers (`ip`, `ip:port`, `[ip6]:port`); default: /etc/resolv.conf nameservers other than this server's address. */
  upstreams?: string[];
  /** Cache of forwarded replies: TTL cap in seconds (default 30, as CoreDNS `cache 30`); false → none. */
  cache?: number | false;
  /** Forwarding timeout per upstream attempt, ms (default 2000). */
  forwardTimeoutMs?: number;
  /**
   * Query log (CoreDNS `log` plugin lines): `true` → stdout; a function receives them.
   * Start/sync lines go to the function when one is given, else to stdout (always).
   */
  log?: boolean | ((line: string) => void);
  /** Answer TTL in seconds (default 5). */
  ttl?: number;
  /** Pod records mode (default 'insecure'); 'verified' also watches Pods. */
  pods?: PodsMode;
  /** Service/pod CIDRs this server answers NXDOMAIN for under in-addr.arpa/ip6.arpa when nothing is indexed. */
  reverseCidrs?: string[];
  /** Informer factory to share (default: a new one over `client`, started here). */
  informers?: SharedInformerFactory;
  signal?: AbortSignal;
}

/** A started server: bound ports, the index (read-only use), readiness, and `close()`. */
export interface ClusterDns {
  host: string;
  port: number;
  healthPort?: number;
  readyPort?: number;
  records: DnsRecords;
  /** True once the informers have synced. */
  ready(): boolean;
  close(): Promise<void>;
}

/**
 * Starts informers, the index, the listeners and the health endpoints; resolves once
 * listening (before the informers sync: `/ready` says when). Rejects if a port cannot be
 * bound. `signal` stops the informers it started; the listeners stop with `close()`.
 */
export async function startClusterDns(opts: DnsServerRunOptions): Promise<ClusterDns> {
  const stdout = (l: string): void => { process.stdout.write(l + '\n'); };
  const info = typeof opts.log === 'function' ? opts.log : stdout;
  const log = opts.log === true ? stdout : typeof opts.log === 'function' ? opts.log : undefined;
  const host = opts.host ?? '0.0.0.0';
  const records = new DnsRecords({ domain: opts.domain, synced: false });
  const resolver = new Resolver(records, { ttl: opts.ttl, pods: opts.pods, reverseCidrs: opts.reverseCidrs });
  const upstreams = opts.upstreams ?? defaultUpstreams([host]);
  const forwarder = new Forwarder({ upstreams, timeoutMs: opts.forwardTimeoutMs });
  const forwardCache = opts.cache === false ? undefined : new ForwardCache({ maxTtl: opts.cache ?? 30 });
  const handler = new QueryHandler({ resolver, forwarder, forwardCache });
  records.onChange(() => handler.invalidate());

  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  if (opts.signal?.aborted) stop.abort(); else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const informers = opts.informers ?? createSharedInformerFactory(opts.client);
  const svcInformer = informers.forResource<Service>(servicesRef);
  const sliceInformer = informers.forResource<EndpointSlice>(endpointSlicesRef);
  svcInformer.addEventHandler({
    onAdd: (s) => records.upsertService(s),
    onUpdate: (_o, s) => records.upsertService(s),
    onDelete: (s) => records.deleteService(unwrapTombstone(s)),
  });
  sliceInformer.addEventHandler({
    onAdd: (s) => records.upsertEndpointSlice(s),
    onUpdate: (_o, s) => records.upsertEndpointSlice(s),
    onDelete: (s) => records.deleteEndpointSlice(unwrapTombstone(s)),
  });
  if (opts.pods === 'verified') {
    informers.forResource<Pod>(podsRef).addEventHandler({
      onAdd: (p) => records.upsertPod(p),
      onUpdate: (_o, p) => records.upsertPod(p),
      onDelete: (p) => records.deletePod(unwrapTombstone(p)),
    });
  }
  if (!opts.informers) informers.start(stop.signal);
  let synced = false;
  informers.waitForCacheSync(stop.signal).then(() => { synced = true; records.markSynced(); info(`[INFO] k8ts-dns: informers synced (${records.size} names)`); }, () => {});

  let health: Awaited<ReturnType<typeof startHealthServers>> | undefined;
  let server: Awaited<ReturnType<typeof startDnsServer>> | undefined;
  try {
    server = await startDnsServer({ host, port: opts.port ?? 53, handler, log });
    health = await startHealthServers({
      host,
      healthPort: opts.healthPort === false ? undefined : opts.healthPort ?? 8080,
      readyPort: opts.readyPort === false ? undefined : opts.readyPort ?? 8181,
      ready: () => synced,
    });
  } catch (err) {
    stop.abort();
    forwarder.close();
    await server?.close();
    throw err;
  }
  info(`[INFO] k8ts-dns v${K8TS_DNS_VERSION} listening on ${host}:${server.port} (udp, tcp) for ${records.domain}, forwarding to ${upstreams.join(', ') || '(no upstreams)'}`);
  if (health.healthPort !== undefined) info(`[INFO] k8ts-dns health on ${host}:${health.healthPort}/health`);
  if (health.readyPort !== undefined) info(`[INFO] k8ts-dns ready on ${host}:${health.readyPort}/ready`);
  const srv = server;
  const hs = health;
  let closed: Promise<void> | undefined;
  return {
    host, port: srv.port, healthPort: hs.healthPort, readyPort: hs.readyPort, records,
    ready: () => synced,
    close: () => (closed ??= (async () => {
      opts.signal?.removeEventListener('abort', onAbort);
      stop.abort();
      forwarder.close();
      await Promise.all([srv.close(), hs.close()]);
    })()),
  };
}

/**
 * Runs the cluster DNS server until `signal` aborts, then stops it and returns.
 * `{ client, domain, host, port, healthPort, readyPort, upstreams, log, signal }`, see {@link DnsServerRunOptions}.
 */
export async function runDnsServer(opts: DnsServerRunOptions & { signal: AbortSignal }): Promise<void> {
  if (opts.signal.aborted) return;
  const dns = await startClusterDns(opts);
  await new Promise<void>((resolve) => {
    if (opts.signal.aborted) resolve(); else opts.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await dns.close();
}
