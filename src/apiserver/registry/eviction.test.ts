/**
 * POST pods/{name}/eviction against the registry: the evicted pod carries the
 * DisruptionTarget condition (EvictionByEvictionAPI) when its graceful delete starts; a
 * dry run writes nothing; delete preconditions are checked against the latest pod and a
 * resourceVersion precondition follows the condition write; a pre-existing condition
 * keeps its lastTransitionTime when its status does not change.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinResourceTable } from '../../api/builtin-resources.js';
import type { KubeObject } from '../../api/object.js';
import type { Storage } from '../../storage/interface.js';
import { openSqliteStorage } from '../../storage/sqlite/sqlite-storage.js';
import { newCacher } from '../../storage/cacher/cacher.js';
import { StatusError } from '../../machinery/errors.js';
import { createRegistry } from './index.js';
import { withPodCondition, EVICTION_CONDITION } from './eviction.js';
import type { Registry, RequestContext } from './rest.js';

const ctx = (extra: Partial<RequestContext> = {}): RequestContext => ({ user: { username: 'admin', groups: ['system:masters'] }, namespace: 'default', ...extra });
type Cond = { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string };
const conditionOf = (p: KubeObject) => ((p.status as { conditions?: Cond[] }).conditions ?? []).find((c) => c.type === 'DisruptionTarget');

describe('pods/eviction', () => {
  let storage: Storage;
  let reg: Registry;
  const pods = () => reg.lookup('', 'v1', 'pods')!;
  const evict = (name: string, deleteOptions?: object, c = ctx()) => reg.lookup('', 'v1', 'pods', 'eviction')!.create!(c, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name }, ...(deleteOptions ? { deleteOptions } : {}) } as KubeObject, name);
  /** A Running pod bound to a node, so its delete is graceful and it stays readable. */
  async function runningPod(name: string): Promise<KubeObject> {
    await pods().create!(ctx(), { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } });
    const p = await pods().get!(ctx(), name);
    return (await reg.lookup('', 'v1', 'pods', 'status')!.update!(ctx(), name, { ...p, status: { phase: 'Running' } })).object;
  }

  before(async () => {
    storage = await newCacher(await openSqliteStorage({ path: ':memory:', compactIntervalMs: 0 }));
    reg = createRegistry(storage, { table: builtinResourceTable() });
    await reg.lookup('', 'v1', 'namespaces')!.create!(ctx({ namespace: '' }), { metadata: { name: 'default' } });
  });
  after(() => storage.close());

  it('sets DisruptionTarget=True (EvictionByEvictionAPI, "Eviction API: evicting") on the pod it deletes', async () => {
    await runningPod('a');
    await evict('a');
    const p = await pods().get!(ctx(), 'a');
    assert.ok(p.metadata.deletionTimestamp, 'graceful delete started');
    const c = conditionOf(p)!;
    assert.deepEqual([c.status, c.reason, c.message], ['True', 'EvictionByEvictionAPI', 'Eviction API: evicting']);
    assert.match(c.lastTransitionTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('a dry run neither deletes nor adds the condition', async () => {
    const before = await runningPod('dry');
    await evict('dry', { dryRun: ['All'] });
    const p = await pods().get!(ctx(), 'dry');
    assert.equal(p.metadata.deletionTimestamp, undefined);
    assert.equal(conditionOf(p), undefined);
    assert.equal(p.metadata.resourceVersion, before.metadata.resourceVersion);
  });

  it('checks preconditions against the latest pod, then deletes with the resourceVersion the condition write made', async () => {
    const p = await runningPod('pre');
    await assert.rejects(evict('pre', { preconditions: { uid: 'other-uid' } }), (e: unknown) => e instanceof StatusError && e.status.code === 409 && /the UID in the precondition \(other-uid\) does not match/.test(e.status.message ?? ''));
    await assert.rejects(evict('pre', { preconditions: { resourceVersion: '1' } }), (e: unknown) => e instanceof StatusError && e.status.code === 409);
    assert.equal(conditionOf(await pods().get!(ctx(), 'pre')), undefined);
    await evict('pre', { preconditions: { uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion } });
    const after = await pods().get!(ctx(), 'pre');
    assert.ok(after.metadata.deletionTimestamp);
    assert.equal(conditionOf(after)?.reason, 'EvictionByEvictionAPI');
  });

  it('withPodCondition appends, replaces, and keeps lastTransitionTime while the status is unchanged', () => {
    const t0 = '2026-01-01T00:00:00Z';
    const t1 = '2026-01-01T00:01:00Z';
    assert.deepEqual(withPodCondition(undefined, EVICTION_CONDITION, t0), [{ ...EVICTION_CONDITION, lastTransitionTime: t0 }]);
    const same = [{ ...EVICTION_CONDITION, lastTransitionTime: t0 }];
    assert.equal(withPodCondition(same, EVICTION_CONDITION, t1), same);
    const byKubelet = [{ type: 'Ready', status: 'True' }, { type: 'DisruptionTarget', status: 'True', reason: 'Other', lastTransitionTime: t0 }];
    assert.deepEqual(withPodCondition(byKubelet, EVICTION_CONDITION, t1)[1], { ...EVICTION_CONDITION, lastTransitionTime: t0 });
    const stale = [{ type: 'DisruptionTarget', status: 'False', lastTransitionTime: t0 }];
    assert.deepEqual(withPodCondition(stale, EVICTION_CONDITION, t1), [{ ...EVICTION_CONDITION, lastTransitionTime: t1 }]);
  });
});
