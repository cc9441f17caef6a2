/**
 * The apiserver's endpoint reconciler for the `kubernetes` Service (upstream
 * pkg/controlplane/reconcilers): keeps the Endpoints `default/kubernetes` and the
 * EndpointSlice `default/kubernetes` pointing at the apiserver's advertise address and
 * secure port, so that pods reach the apiserver at `https://kubernetes.default.svc`
 * through the Service's ClusterIP. The Service itself has no selector; the endpoint
 * controllers leave it alone.
 *
 * Shapes as upstream writes them: Endpoints with one subset (port `https`/TCP) and the
 * label `endpointslice.kubernetes.io/skip-mirror: "true"`; the EndpointSlice named
 * `kubernetes`, addressType IPv4, labelled `kubernetes.io/service-name: kubernetes`, one
 * ready endpoint per apiserver address.
 */
import type { Endpoints } from '../../api/core/v1/types.js';
import type { EndpointSlice } from '../../api/discovery/v1/endpoint-slice.js';
import type { KubeObject } from '../../api/object.js';
import { isConflict, isNotFound } from '../../machinery/errors.js';
import { resources, type Client, type ResourceClient } from '../../client/interface.js';
import { sleepUntilAborted } from '../../machinery/time.js';

/** Where the apiserver is reachable from pods: IPv4 addresses (one per apiserver) and the secure port. */
export interface ApiserverEndpoint { addresses: string[]; port: number }

/** The Endpoints object for `kubernetes` (upstream reconcilers/endpointsadapter). */
export function kubernetesEndpoints(e: ApiserverEndpoint): Endpoints {
  return {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [...e.addresses].sort().map((ip) => ({ ip })), ports: [{ name: 'https', port: e.port, protocol: 'TCP' }] }],
  } as Endpoints;
}

/** The EndpointSlice for `kubernetes`. */
export function kubernetesEndpointSlice(e: ApiserverEndpoint): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [...e.addresses].sort().map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'https', port: e.port, protocol: 'TCP' }],
  };
}

/** Creates `want`, or replaces the stored object's `fields` when they differ; one retry on a conflict. */
async function ensure<T extends KubeObject>(rc: ResourceClient<T>, want: T, fields: string[]): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let have: T;
    try { have = await rc.get(want.metadata.name!, { namespace: 'default' }); } catch (err) {
      if (!isNotFound(err)) throw err;
      await rc.create(want);
      return;
    }
    const pick = (o: T): string => JSON.stringify([...fields.map((f) => (o as Record<string, unknown>)[f]), o.metadata.labels]);
    if (pick(have) === pick(want)) return;
    const next = { ...have, metadata: { ...have.metadata, labels: { ...have.metadata.labels, ...want.metadata.labels } } } as Record<string, unknown>;
    for (const f of fields) next[f] = (want as Record<string, unknown>)[f];
    try { await rc.update(next as T); return; } catch (err) { if (!isConflict(err)) throw err; }
  }
}

/** One reconcile of both objects. Throws the API's errors. */
export async function reconcileKubernetesEndpoints(client: Client, e: ApiserverEndpoint): Promise<void> {
  await ensure(client.resource<Endpoints>(resources.endpoints), kubernetesEndpoints(e), ['subsets']);
  await ensure(client.resource<EndpointSlice>(resources.endpointslices), kubernetesEndpointSlice(e), ['addressType', 'endpoints', 'ports']);
}

/**
 * Reconciles now and then every `intervalMs` (upstream's endpoint reconcile interval is
 * 10 s) until the signal aborts; errors go to `log` and the next round retries.
 */
export async function runKubernetesEndpointsReconciler(client: Client, e: ApiserverEndpoint, signal: AbortSignal, opts: { intervalMs?: number; log?: (m: string) => void } = {}): Promise<void> {
  let lastError = '';
  while (!signal.aborted) {
    try { await reconcileKubernetesEndpoints(client, e); lastError = ''; } catch (err) {
      const msg = (err as Error).message;
      if (msg !== lastError && !signal.aborted) opts.log?.(`kubernetes endpoints: ${msg}`);
      lastError = msg;
    }
    await sleepUntilAborted(opts.intervalMs ?? 10_000, signal);
  }
}
