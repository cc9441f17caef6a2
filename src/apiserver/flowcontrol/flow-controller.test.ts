import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../authz/authorizer.js';
import { suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap-configuration.js';
import { nominalLimits } from './concurrency-limits.js';
import { FlowController } from './flow-controller.js';
import { estimateSeats } from './work-estimator.js';

const list = (username: string, groups: string[]): Attributes => ({ user: { username, groups: [...groups, 'system:authenticated'] }, verb: 'list', resourceRequest: true, apiGroup: '', resource: 'configmaps', namespace: 'default' });

test('nominal limits share the server limit by nominalConcurrencyShares (upstream: 600 seats)', () => {
  const c = new FlowController();
  c.apply(suggestedFlowSchemas(), suggestedPriorityLevels());
  const limits = Object.fromEntries([...c.levelStates()].map(([n, s]) => [n, s.limit]));
  // Σ shares = 5 + 30 + 40 + 10 + 40 + 100 + 20 = 245 (exempt 0).
  assert.deepEqual(limits, { 'catch-all': 13, system: 74, 'node-high': 98, 'leader-election': 25, 'workload-high': 98, 'workload-low': 245, 'global-default': 49 });
  assert.deepEqual(nominalLimits([], 600), new Map());
});

test('without stored configuration the mandatory objects classify everything', async () => {
  const c = new FlowController({ serverConcurrencyLimit: 2 });
  assert.equal(c.classify(list('admin', ['system:masters'])).priorityLevel.metadata.name, 'exempt');
  assert.equal(c.classify(list('alice', [])).priorityLevel.metadata.name, 'catch-all');
  // catch-all is a Reject level: beyond its seats, refused at once.
  const held = [await c.admit(list('alice', [])), await c.admit(list('bob', []))];
  const refused = await c.admit(list('carol', []));
  assert.equal(refused.admission.dispatched ? 'ran' : refused.admission.reason, 'concurrency-limit');
  assert.equal(refused.retryAfterSeconds, 1);
  // Exempt requests are never held back.
  const admin = await c.admit(list('admin', ['system:masters']));
  assert.ok(admin.admission.dispatched);
  for (const d of [...held, admin]) if (d.admission.dispatched) d.admission.release();
  assert.ok((await c.admit(list('carol', []))).admission.dispatched);
});

test('a full queuing level refuses with queue-full while another level still runs', async () => {
  const c = new FlowController({ serverConcurrencyLimit: 6, requestWaitLimitMs: 5000 });
  const levels = suggestedPriorityLevels().map((p) => p.metadata.name === 'global-default' ? { ...p, spec: { type: 'Limited' as const, limited: { nominalConcurrencyShares: 20, limitResponse: { type: 'Queue' as const, queuing: { queues: 1, handSize: 1, queueLengthLimit: 2 } } } } } : p);
  c.apply(suggestedFlowSchemas(), levels);
  const first = await c.admit(list('alice', []));
  assert.ok(first.admission.dispatched);
  const queued = [c.admit(list('alice', [])), c.admit(list('alice', []))];
  const full = await c.admit(list('alice', []));
  assert.equal(full.flowSchema.metadata.name, 'global-default');
  assert.equal(full.admission.dispatched ? 'ran' : full.admission.reason, 'queue-full');
  const node = await c.admit({ user: { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] }, verb: 'update', resourceRequest: true, apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease' });
  assert.equal(node.priorityLevel.metadata.name, 'node-high');
  assert.ok(node.admission.dispatched);
  node.admission.release();
  if (first.admission.dispatched) first.admission.release();
  for (const p of queued) { const q = await p; assert.ok(q.admission.dispatched); q.admission.release(); }
});

test('seat estimates of lists follow upstream (100 objects a seat, 1 to 10)', () => {
  const counts = (n: number | undefined) => () => n;
  const a = list('alice', []);
  assert.equal(estimateSeats(a, { query: new URLSearchParams(), countOf: counts(undefined) }), 1);
  assert.equal(estimateSeats(a, { query: new URLSearchParams(), countOf: counts(120) }), 3); // 2 × 120 from storage
  assert.equal(estimateSeats(a, { query: new URLSearchParams('resourceVersion=0'), countOf: counts(120) }), 2); // from the cache
  assert.equal(estimateSeats(a, { query: new URLSearchParams('limit=50'), countOf: counts(5000) }), 1);
  assert.equal(estimateSeats(a, { query: new URLSearchParams(), countOf: counts(5000) }), 10);
  assert.equal(estimateSeats({ ...a, verb: 'create' }, { query: new URLSearchParams(), countOf: counts(5000) }), 1);
});
