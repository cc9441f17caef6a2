/**
 * A fake kubelet for controller tests against an in-process apiserver (no node agent
 * runs there): it polls a namespace's pods and "starts" the ones a predicate picks by
 * writing their status as the kubelet would (upstream pkg/kubelet/status status_manager:
 * phase Running with a Ready condition), so workload controllers see their pods come up.
 */
import type { Pod } from '../../src/api/core/v1/pod-types.js';
import { resources, type Client } from '../../src/client/interface.js';
import { microTime } from '../../src/machinery/time.js';

/**
 * Writes `phase` and a Ready condition (`ready`, transition time now, second precision)
 * into the pod's status through the `status` subresource, on its current version.
 */
export async function writePodStatus(client: Client, p: Pod, phase: string, ready: boolean): Promise<Pod> {
  const pods = client.resource<Pod>(resources.pods);
  const cur = await pods.get(p.metadata.name!, { namespace: p.metadata.namespace });
  return pods.update({ ...cur, status: { ...cur.status, phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } }, { subresource: 'status' });
}

export interface FakeKubeletOptions {
  client: Client;
  /** Namespace whose pods it watches over. */
  namespace: string;
  /** Stops the loop. */
  signal: AbortSignal;
  /** Whether this (not terminating) pod should be started now: marked Running and Ready. */
  shouldStart: (pod: Pod) => boolean;
  /** Pause between polls (default 30 ms). */
  intervalMs?: number;
}

/**
 * Runs the fake kubelet until `signal` aborts: every `intervalMs` lists the namespace's
 * pods and marks Running and Ready those not terminating for which `shouldStart`
 * holds. Failed writes (a pod changed or gone) and list errors (server closing) are
 * ignored; the next poll retries. Resolves once stopped; never rejects.
 */
export async function runFakeKubelet(opts: FakeKubeletOptions): Promise<void> {
  const pods = opts.client.resource<Pod>(resources.pods);
  while (!opts.signal.aborted) {
    try {
      for (const p of (await pods.list({ namespace: opts.namespace })).items) {
        if (!p.metadata.deletionTimestamp && opts.shouldStart(p)) await writePodStatus(opts.client, p, 'Running', true).catch(() => undefined);
      }
    } catch { /* server closing */ }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 30));
  }
}

/**
 * Registers a simulated Node `name` (Ready, 8 CPUs, 16Gi, 110 pods) and its kubelet's
 * Lease in kube-node-lease, renewed every 2 s until `signal` aborts, as a kubelet's
 * heartbeat would be (KWOK-style: no containers run; pair it with runFakeKubelet).
 */
export async function registerSimulatedNode(client: Client, name: string, signal: AbortSignal): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.resource(resources.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, capacity: { cpu: '8', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }] } });
  const leases = client.resource(resources.leases);
  await leases.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime() } });
  void (async () => {
    while (!signal.aborted) {
      await new Promise((r) => setTimeout(r, 2000));
      await leases.patch(name, { spec: { renewTime: microTime() } }, 'application/merge-patch+json', { namespace: 'kube-node-lease' }).catch(() => undefined);
    }
  })();
}
