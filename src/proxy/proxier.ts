/**
 * kube-proxy in nftables mode (upstream cmd/kube-proxy, pkg/proxy/nftables/proxier.go):
 * watches Services and EndpointSlices, and keeps the `ip k8ts-proxy` table in step.
 *
 * Flow: informer events mark Services dirty; one sync at a time renders the dirty
 * Services' ports ({@link renderServicePort}) and applies only what changed as one
 * `nft -f` transaction ({@link planSync}). The first sync, and any sync after a failed
 * transaction, rewrites the whole table. Events arriving during a sync are coalesced
 * into the next one, so a burst of changes costs a few transactions, not one each.
 * Stopping leaves the rules in place (Services keep answering while the proxy
 * restarts, as upstream's); `cleanupProxyRules` removes them.
 */
import type { Service } from '../api/core/v1/types.js';
import type { EndpointSlice } from '../api/discovery/v1/endpoint-slice.js';
import { resources, type Client } from '../client/interface.js';
import { metaNamespaceKey, type SharedInformerFactory } from '../client/informers/types.js';
import { unwrapTombstone } from '../client/informers/shared-informer.js';
import { endpointsFor, servicePorts } from './service-port.js';
import { planSync, ProgrammedState, renderServicePort, TABLE, type Chunk, type RulesetConfig } from './nftables-ruleset.js';
import { runNft } from './nft.js';
import { enableRouteLocalnet, ROUTE_LOCALNET_PATH } from './route-localnet.js';

export interface ProxierOptions {
  client: Client;
  informers: SharedInformerFactory;
  nodeName: string;
  /** The node's InternalIP: node ports answer there and on 127.0.0.1. */
  nodeIP: string;
  clusterCIDR?: string;
  signal: AbortSignal;
  /** Run nft inside this network namespace (tests). */
  netns?: string;
  log?: (m: string) => void;
  /**
   * The route_localnet sysctl file (default {@link ROUTE_LOCALNET_PATH}); set to 1 on start
   * and put back to its previous value when the proxier stops. Not touched when `netns` is set.
   */
  routeLocalnetPath?: string;
  /** Called after each applied transaction with its duration (ms), the service ports it rendered and the Services (`ns/name`) it covered. */
  onSync?(info: { ms: number; servicePorts: number; full: boolean; services: Set<string> }): void;
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Removes the proxy's table (idempotent). */
export async function cleanupProxyRules(opts: { netns?: string } = {}): Promise<void> {
  await runNft(`add table ip ${TABLE}\ndelete table ip ${TABLE}\n`, opts);
}

/**
 * Runs until the signal aborts; resolves then. A failed transaction is logged (once per
 * distinct error) and retried as a full sync after 1 s. Sets route_localnet on start (unless
 * `netns` is given) and restores its previous value on the way out, however it ends.
 */
export async function runProxier(opts: ProxierOptions): Promise<void> {
  const restoreRouteLocalnet = opts.netns ? undefined : enableRouteLocalnet(opts.routeLocalnetPath ?? ROUTE_LOCALNET_PATH);
  try {
    await syncUntilAborted(opts);
  } finally {
    try { restoreRouteLocalnet?.(); } catch (err) { (opts.log ?? console.error)(`kube-proxy: restoring route_localnet: ${(err as Error).message}`); }
  }
}

async function syncUntilAborted(opts: ProxierOptions): Promise<void> {
  const log = opts.log ?? ((m: string) => console.error(`kube-proxy: ${m}`));
  const cfg: RulesetConfig = { nodeName: opts.nodeName, clusterCIDR: opts.clusterCIDR, nodePortAddresses: [...new Set(['127.0.0.1', opts.nodeIP])] };
  const services = opts.informers.forResource<Service>(resources.services);
  const slices = opts.informers.forResource<EndpointSlice>(resources.endpointslices);
  /** Service key → its slices by name (the label, not ownership, ties a slice to its Service). */
  const slicesOf = new Map<string, Map<string, EndpointSlice>>();
  const dirty = new Set<string>();
  let state = new ProgrammedState();
  /** Service key → the port keys it rendered last. */
  const portsOf = new Map<string, string[]>();
  let needFull = true;
  let wake: (() => void) | undefined;
  const mark = (key: string): void => { dirty.add(key); wake?.(); };

  services.addEventHandler({
    onAdd: (s) => mark(metaNamespaceKey(s)),
    onUpdate: (_o, s) => mark(metaNamespaceKey(s)),
    onDelete: (o) => mark(metaNamespaceKey(unwrapTombstone(o))),
  });
  const sliceKey = (s: EndpointSlice): string | undefined => {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    return svc ? `${s.metadata.namespace}/${svc}` : undefined;
  };
  const putSlice = (s: EndpointSlice): void => {
    const k = sliceKey(s);
    if (!k) return;
    let m = slicesOf.get(k);
    if (!m) slicesOf.set(k, (m = new Map()));
    m.set(s.metadata.name!, s);
    mark(k);
  };
  const dropSlice = (s: EndpointSlice): void => {
    const k = sliceKey(s);
    if (!k) return;
    slicesOf.get(k)?.delete(s.metadata.name!);
    if (slicesOf.get(k)?.size === 0) slicesOf.delete(k);
    mark(k);
  };
  slices.addEventHandler({
    onAdd: putSlice,
    onUpdate: (o, s) => { if (sliceKey(o) !== sliceKey(s)) dropSlice(o); putSlice(s); },
    onDelete: (o) => dropSlice(unwrapTombstone(o)),
  });

  try { await opts.informers.waitForCacheSync(opts.signal); } catch { return; }

  const render = (keys: Iterable<string>): Map<string, Chunk | undefined> => {
    const next = new Map<string, Chunk | undefined>();
    for (const key of keys) {
      const svc = services.lister.get(key);
      const ports = svc ? servicePorts(svc) : [];
      const svcSlices = [...(slicesOf.get(key)?.values() ?? [])];
      for (const old of portsOf.get(key) ?? []) next.set(old, undefined);
      for (const sp of ports) next.set(sp.key, renderServicePort(sp, endpointsFor(sp, svcSlices), cfg));
      if (ports.length) portsOf.set(key, ports.map((p) => p.key)); else portsOf.delete(key);
    }
    return next;
  };

  let lastError = '';
  while (!opts.signal.aborted) {
    if (dirty.size === 0 && !needFull) {
      await new Promise<void>((resolve) => {
        const done = (): void => { opts.signal.removeEventListener('abort', done); resolve(); };
        wake = done;
        opts.signal.addEventListener('abort', done, { once: true });
      });
      wake = undefined;
      continue;
    }
    const full = needFull;
    const keys = full ? new Set([...services.lister.list().map((s) => metaNamespaceKey(s)), ...dirty, ...portsOf.keys()]) : new Set(dirty);
    dirty.clear();
    const t0 = performance.now();
    const next = render(keys);
    const plan = planSync(state, next, cfg, full);
    try {
      if (plan.script) await runNft(plan.script, { netns: opts.netns });
      state = plan.state;
      needFull = false;
      lastError = '';
      opts.onSync?.({ ms: performance.now() - t0, servicePorts: next.size, full, services: keys });
    } catch (err) {
      const msg = (err as Error).message;
      if (msg !== lastError) log(`sync failed, rewriting the whole table next: ${msg}`);
      lastError = msg;
      needFull = true;
      for (const k of keys) dirty.add(k);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
