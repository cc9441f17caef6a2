/**
 * Micro-benchmark of the scheduling cycle alone (`npx tsx bench/scheduler-cycle.ts [pods]
 * [basic|antiaffinity|spread]`; no root, no API server): a SchedulerCache with 5,000 Nodes
 * shaped as bench/scheduler.ts's (32 cpu, 256Gi, 110 pods, 10 zones), then `pods` pods
 * (default 10,000; 100m cpu, 128Mi; groups of 50 labels, with the case's anti-affinity or
 * spread term) each run through Framework.schedule with the default profile and assumed
 * on the chosen node, as the scheduler does between binds. Prints µs per pod, nodes
 * evaluated per pod and ns per evaluated node. What it leaves out (HTTP, informers,
 * events) is what bench/scheduler.ts adds.
 */
import { Framework } from '../src/scheduler/framework/framework.js';
import { SchedulerCache } from '../src/scheduler/cache/cache.js';
import { defaultProfile, pluginRegistry } from '../src/scheduler/plugins/registry.js';
const NODES = 5000, PODS = Number(process.argv[2] ?? 10000), CASE = process.argv[3] ?? 'basic';
const cache = new SchedulerCache();
for (let i = 0; i < NODES; i++) cache.addNode(JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}`, uid: `n${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % 10}` } }, spec: {}, status: { capacity: { cpu: '32', memory: '256Gi', pods: '110' }, allocatable: { cpu: '32', memory: '256Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } })));
const pod = (i: number) => {
  const group = `g${Math.floor(i / 50)}`;
  const spec: Record<string, unknown> = { schedulerName: 'default-scheduler', priority: 0, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] };
  if (CASE === 'antiaffinity') spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { group } }, topologyKey: 'kubernetes.io/hostname' }] } };
  if (CASE === 'spread') spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { group } } }];
  return JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'bench', uid: `u${i}`, labels: { group } }, spec, status: { phase: 'Pending' } }));
};
const fw = new Framework(pluginRegistry, defaultProfile, { namespaceLister: () => undefined } as never, Math.random, 0);
const keep: unknown[] = []; // the pods stay alive, as in the informer's store
const t0 = performance.now();
let evaluated = 0;
for (let i = 0; i < PODS; i++) {
  const p = pod(i);
  keep.push(p);
  const state = cache.cycleState();
  const r = fw.schedule(p, cache.nodeInfoList(), state);
  if (r.kind !== 'scheduled') throw new Error(JSON.stringify(r));
  evaluated += r.evaluatedNodes;
  cache.assumePod(p, r.nodeName);
}
const ms = performance.now() - t0;
console.log(`${PODS} pods: ${(ms / PODS * 1000).toFixed(0)} µs/pod, ${(evaluated / PODS).toFixed(0)} nodes evaluated/pod, ${(ms * 1e6 / evaluated).toFixed(0)} ns/node`);
