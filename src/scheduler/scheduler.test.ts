import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../api/core/v1/pod-types.js';
import type { Node } from '../api/core/v1/types.js';
import type { KubeObject } from '../api/object.js';
import type { Client, ResourceRef } from '../client/interface.js';
import { metaNamespaceKey, type Indexers, type ResourceEventHandler, type SharedInformerFactory } from '../client/informers/types.js';
import { conflict } from '../machinery/errors.js';
import { runScheduler } from './scheduler.js';
import type { Framework, PluginConfig } from './framework/framework.js';
import type { Plugin, PluginFactory } from './framework/interface.js';
import { asError, success, type Status } from './framework/status.js';
import { defaultProfile } from './plugins/registry.js';

/** An in-memory informer: tests drive it with set()/remove(). */
class FakeInformer<T extends KubeObject> {
  readonly objs = new Map<string, T>();
  private readonly handlers: ResourceEventHandler<T>[] = [];
  private indexers: Indexers<T> = {};
  readonly lister = {
    list: () => [...this.objs.values()],
    get: (key: string) => this.objs.get(key),
    byIndex: (name: string, value: string) => [...this.objs.values()].filter((o) => (this.indexers[name]?.(o) ?? []).includes(value)),
  };
  addEventHandler(h: ResourceEventHandler<T>): void { this.handlers.push(h); for (const o of this.objs.values()) h.onAdd?.(o); }
  addIndexers(i: Indexers<T>): void { this.indexers = { ...this.indexers, ...i }; }
  hasSynced(): boolean { return true; }
  set(obj: T): void {
    const key = metaNamespaceKey(obj);
    const old = this.objs.get(key);
    this.objs.set(key, obj);
    for (const h of this.handlers) { if (old) h.onUpdate?.(old, obj); else h.onAdd?.(obj); }
  }
  remove(key: string): void {
    const old = this.objs.get(key);
    if (!old) return;
    this.objs.delete(key);
    for (const h of this.handlers) h.onDelete?.(old);
  }
}

function harness(opts: { informerLagMs?: number; bindError?: (pod: string) => Error | undefined; profile?: PluginConfig[]; registry?: Record<string, PluginFactory>; log?: string[] } = {}) {
  const pods = new FakeInformer<Pod>();
  const nodes = new FakeInformer<Node>();
  const factory: SharedInformerFactory = {
    forResource: <T extends KubeObject>(ref: ResourceRef) => (ref.resource === 'pods' ? pods : nodes) as never as ReturnType<SharedInformerFactory['forResource']> & { lister: { list(): T[] } },
    start: () => undefined,
    waitForCacheSync: async () => undefined,
  } as SharedInformerFactory;
  const bindings: Array<{ pod: string; node: string }> = [];
  const events: Array<{ reason: string; message: string; type: string }> = [];
  const statusPatches: Array<{ pod: string; patch: { status: { conditions: Array<Record<string, unknown>> } } }> = [];
  const client = {
    resource: (ref: ResourceRef) => ({
      async create(obj: KubeObject & { target?: { name: string }; reason?: string; message?: string; note?: string; type?: string }, o: { namespace?: string; name?: string; subresource?: string } = {}) {
        if (ref.resource === 'pods' && o.subresource === 'binding') {
          const key = `${o.namespace}/${o.name}`;
          const err = opts.bindError?.(key);
          if (err) throw err;
          bindings.push({ pod: key, node: obj.target!.name });
          opts.log?.push(`bind ${key}`);
          const apply = () => { const p = pods.objs.get(key); if (p) pods.set({ ...p, spec: { ...p.spec!, nodeName: obj.target!.name } }); };
          if (opts.informerLagMs) setTimeout(apply, opts.informerLagMs); else apply();
          return obj;
        }
        if (ref.resource === 'events') events.push({ reason: obj.reason!, message: obj.note ?? obj.message!, type: obj.type! });
        return obj;
      },
      async patch(name: string, patch: never, _type: string, o: { namespace?: string; subresource?: string } = {}) {
        if (ref.resource === 'pods' && o.subresource === 'status') statusPatches.push({ pod: `${o.namespace}/${name}`, patch });
        return {} as KubeObject;
      },
    }),
  } as unknown as Client;
  const ac = new AbortController();
  let framework: Framework | undefined;
  const done = runScheduler({ client, informers: factory, signal: ac.signal, queue: { initialBackoffMs: 10, maxBackoffMs: 50 },
    profile: opts.profile, registry: opts.registry, onFramework: (f) => { framework = f; } });
  return { pods, nodes, bindings, events, statusPatches, framework: () => framework!, stop: async () => { ac.abort(); await done; } };
}

const node = (name: string, cpu = '1'): Node => ({ metadata: { name }, status: { allocatable: { cpu, memory: '4Gi', pods: '110' } } });
const pod = (name: string, cpu = '600m', extra: Partial<Pod['spec']> = {}): Pod =>
  ({ metadata: { name, namespace: 'd', uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...extra } });

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('runScheduler', () => {
  it('binds a pending pod and records Scheduled', async () => {
    const h = harness();
    try {
      h.nodes.set(node('n1'));
      h.pods.set(pod('web'));
      await until(() => h.events.some((e) => e.reason === 'Scheduled'), 'Scheduled event');
      assert.deepEqual(h.bindings, [{ pod: 'd/web', node: 'n1' }]);
      assert.deepEqual(h.events.find((e) => e.reason === 'Scheduled'), { reason: 'Scheduled', type: 'Normal', message: 'Successfully assigned d/web to n1' });
    } finally { await h.stop(); }
  });

  it('ignores pods of other schedulers, bound pods and deleting pods', async () => {
    const h = harness();
    try {
      h.nodes.set(node('n1', '4'));
      h.pods.set(pod('other', '1m', { schedulerName: 'my-scheduler' }));
      h.pods.set(pod('bound', '1m', { nodeName: 'n1' }));
      h.pods.set({ ...pod('going', '1m'), metadata: { name: 'going', namespace: 'd', uid: 'g', deletionTimestamp: '2024-01-01T00:00:00Z' } });
      h.pods.set(pod('mine', '1m'));
      await until(() => h.bindings.length === 1, 'one binding');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(h.bindings.map((b) => b.pod), ['d/mine']);
    } finally { await h.stop(); }
  });

  it('counts assumed pods before the informer shows them bound', async () => {
    const h = harness({ informerLagMs: 300 });
    try {
      h.nodes.set(node('n1'));
      h.pods.set(pod('a'));
      h.pods.set(pod('b'));
      await until(() => h.events.some((e) => e.reason === 'FailedScheduling'), 'FailedScheduling');
      assert.equal(h.bindings.length, 1);
      const failed = h.events.find((e) => e.reason === 'FailedScheduling')!;
      assert.equal(failed.type, 'Warning');
      assert.equal(failed.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
      const patch = h.statusPatches.at(-1)!;
      assert.equal(patch.pod, h.bindings[0].pod === 'd/a' ? 'd/b' : 'd/a');
      assert.deepEqual({ ...patch.patch.status.conditions[0], lastTransitionTime: undefined },
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: failed.message, lastProbeTime: null, lastTransitionTime: undefined });
    } finally { await h.stop(); }
  });

  it('retries an unschedulable pod when a node is added', async () => {
    const h = harness();
    try {
      h.pods.set(pod('late', '100m', { nodeSelector: { zone: 'b' } }));
      h.nodes.set(node('n1'));
      await until(() => h.events.some((e) => e.reason === 'FailedScheduling' && e.message.includes("didn't match Pod's node affinity/selector")), 'selector failure');
      h.nodes.set({ ...node('n2'), metadata: { name: 'n2', labels: { zone: 'b' } } });
      await until(() => h.bindings.length === 1, 'binding after node add');
      assert.deepEqual(h.bindings, [{ pod: 'd/late', node: 'n2' }]);
    } finally { await h.stop(); }
  });

  it('retries when an assigned pod is deleted and frees room', async () => {
    const h = harness();
    try {
      h.nodes.set(node('n1'));
      h.pods.set(pod('hog', '800m', { nodeName: 'n1' }));
      h.pods.set(pod('wait', '500m'));
      await until(() => h.events.some((e) => e.reason === 'FailedScheduling'), 'failure');
      h.pods.remove('d/hog');
      await until(() => h.bindings.length === 1, 'binding after delete');
      assert.equal(h.bindings[0].pod, 'd/wait');
    } finally { await h.stop(); }
  });

  it('a conflicting bind (already bound) is not retried; other bind errors are', async () => {
    let failures = 0;
    const h = harness({ bindError: (key) => (key === 'd/taken' ? conflict({ group: '', resource: 'pods' }, 'taken', 'already assigned') : (key === 'd/flaky' && failures++ < 1 ? new Error('transient') : undefined)) });
    try {
      h.nodes.set(node('n1', '4'));
      h.pods.set(pod('taken', '1m'));
      h.pods.set(pod('flaky', '1m'));
      await until(() => h.bindings.some((b) => b.pod === 'd/flaky'), 'flaky bound after retry');
      assert.ok(h.events.some((e) => e.reason === 'FailedScheduling' && e.message.startsWith('Binding rejected: transient')));
      assert.equal(h.bindings.filter((b) => b.pod === 'd/taken').length, 0);
    } finally { await h.stop(); }
  });

  /** A plugin at Reserve, Permit, PreBind and PostBind that logs `<point> <ns/name>`; `permit`/`preBind` choose results per pod name. */
  const tracer = (log: string[], permit: (name: string) => { status: Status; timeoutMs?: number } = () => ({ status: success() }), preBind: (name: string) => Status = () => success()): Record<string, PluginFactory> => ({
    Tracer: () => ({
      name: 'Tracer',
      reserve: (_s: unknown, p: Pod) => { log.push(`reserve d/${p.metadata.name}`); return success(); },
      unreserve: (_s: unknown, p: Pod) => { log.push(`unreserve d/${p.metadata.name}`); },
      permit: (_s: unknown, p: Pod) => { log.push(`permit d/${p.metadata.name}`); return permit(p.metadata.name!); },
      preBind: async (_s: unknown, p: Pod) => { log.push(`preBind d/${p.metadata.name}`); return preBind(p.metadata.name!); },
      postBind: (_s: unknown, p: Pod) => { log.push(`postBind d/${p.metadata.name}`); },
    }) as Plugin,
  });
  const withTracer = [...defaultProfile, { name: 'Tracer' }];

  it('runs Reserve, Permit, PreBind, Bind, PostBind in upstream order', async () => {
    const log: string[] = [];
    const h = harness({ registry: tracer(log), profile: withTracer, log });
    try {
      h.nodes.set(node('n1'));
      h.pods.set(pod('web'));
      await until(() => log.includes('postBind d/web'), 'PostBind');
      assert.deepEqual(log, ['reserve d/web', 'permit d/web', 'preBind d/web', 'bind d/web', 'postBind d/web']);
    } finally { await h.stop(); }
  });

  it('a pod waiting on Permit binds once allowed; a rejected one is unreserved and reported Unschedulable', async () => {
    const log: string[] = [];
    const h = harness({ registry: tracer(log, () => ({ status: { code: 'Wait', reasons: [] }, timeoutMs: 5000 })), profile: withTracer, log });
    try {
      h.nodes.set(node('n1', '4'));
      h.pods.set(pod('ok', '1m'));
      h.pods.set(pod('no', '1m'));
      await until(() => !!h.framework().findWaitingPod('d', 'ok') && !!h.framework().findWaitingPod('d', 'no'), 'both waiting');
      assert.equal(h.bindings.length, 0);
      h.framework().findWaitingPod('d', 'ok')!.allow('Tracer');
      h.framework().findWaitingPod('d', 'no')!.reject('Tracer', 'gang incomplete');
      await until(() => h.bindings.length === 1 && log.includes('unreserve d/no'), 'bind and unreserve');
      assert.deepEqual(h.bindings.map((b) => b.pod), ['d/ok']);
      await until(() => h.events.some((e) => e.reason === 'FailedScheduling' && e.message === 'gang incomplete'), 'FailedScheduling');
      assert.equal(h.statusPatches.find((p) => p.pod === 'd/no')!.patch.status.conditions[0].reason, 'Unschedulable');
      assert.ok(!log.includes('preBind d/no'));
    } finally { await h.stop(); }
  });

  it('a Permit timeout and a rejecting Permit fail the pod; a PreBind error unreserves and retries', async () => {
    const log: string[] = [];
    let preBindFailures = 0;
    const h = harness({
      registry: tracer(log,
        (name) => (name === 'slow' ? { status: { code: 'Wait', reasons: [] }, timeoutMs: 20 } : name === 'denied' ? { status: { code: 'Unschedulable', reasons: ['quota exceeded'] } } : { status: success() }),
        (name) => (name === 'flaky' && preBindFailures++ < 1 ? asError(new Error('volume not ready')) : success())),
      profile: withTracer, log,
    });
    try {
      h.nodes.set(node('n1', '4'));
      h.pods.set(pod('slow', '1m'));
      h.pods.set(pod('denied', '1m'));
      h.pods.set(pod('flaky', '1m'));
      await until(() => h.bindings.some((b) => b.pod === 'd/flaky'), 'flaky bound after retry');
      await until(() => h.events.some((e) => e.message === 'rejected due to timeout after waiting 20ms at plugin Tracer'), 'timeout');
      await until(() => h.events.some((e) => e.message === 'quota exceeded'), 'denied');
      assert.ok(h.events.some((e) => e.message === 'running PreBind plugin "Tracer": volume not ready'));
      for (const p of ['slow', 'denied', 'flaky']) assert.ok(log.includes(`unreserve d/${p}`), p);
      assert.ok(!h.bindings.some((b) => b.pod === 'd/slow' || b.pod === 'd/denied'));
    } finally { await h.stop(); }
  });
});

describe('recordSchedulingFailure nomination', () => {
  it('sets, keeps and clears status.nominatedNodeName', async () => {
    const { recordSchedulingFailure } = await import('./failure-handler.js');
    const patches: unknown[] = [];
    const client = { resource: () => ({ patch: async (_n: string, body: unknown) => { patches.push(body); return {}; } }) } as unknown as Client;
    const recorder = { eventf: () => undefined } as never;
    const p = pod('x');
    const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastProbeTime: null, lastTransitionTime: 't' };
    await recordSchedulingFailure(client, recorder, { ...p, status: { conditions: [cond as never] } }, 'Unschedulable', 'm', 'n1');
    await recordSchedulingFailure(client, recorder, { ...p, status: { conditions: [cond as never], nominatedNodeName: 'n1' } }, 'Unschedulable', 'm', 'n1');
    await recordSchedulingFailure(client, recorder, { ...p, status: { conditions: [cond as never], nominatedNodeName: 'n1' } }, 'Unschedulable', 'm', '');
    assert.deepEqual(patches, [{ status: { nominatedNodeName: 'n1' } }, { status: { nominatedNodeName: null } }]);
  });
});
