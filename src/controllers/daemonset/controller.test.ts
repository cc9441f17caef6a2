/**
 * The DaemonSet controller against an in-process apiserver (no scheduler or kubelet:
 * pods stay unbound, targeted through their node affinity; the test writes pod status
 * and creates simulated Nodes): one pod per eligible node with the pinning affinity,
 * tolerations and labels; node add / label change / delete; extra and failed pods;
 * status and events; ControllerRevisions; RollingUpdate with maxUnavailable and
 * maxSurge; OnDelete.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { runFakeKubelet, writePodStatus } from '../../../test/support/fake-kubelet.js';
import { resources, type Client } from '../../client/interface.js';
import { createSharedInformerFactory } from '../../client/informers/shared-informer-factory.js';
import { isNotFound } from '../../machinery/errors.js';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import type { DaemonSet } from '../../api/apps/v1/daemon-set.js';
import type { ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import { DaemonSetController } from './controller.js';
import { targetNodeName } from './daemon-pods.js';

describe('daemonset controller', { timeout: 60_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ac = new AbortController();
  const ns = 'default';
  /** DaemonSets whose pods the fake kubelet marks Running and Ready as soon as they appear. */
  const autoReady = new Set<string>();

  before(async () => {
    server = await startTestApiServer('daemonset');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const informers = createSharedInformerFactory(client);
    const controller = new DaemonSetController(client, informers);
    void controller.run(ac.signal, 2);
    informers.start(ac.signal);
    void runFakeKubelet({ client, namespace: ns, signal: ac.signal, shouldStart: (p) => {
      const owner = p.metadata.ownerReferences?.[0]?.name;
      return !!owner && autoReady.has(owner) && p.status?.phase !== 'Running';
    } });
  });
  after(async () => { ac.abort(); await server.close(); });

  const pods = () => client.resource<Pod>(resources.pods);
  const nodes = () => client.resource<Node>(resources.nodes);
  const sets = () => client.resource<DaemonSet>(resources.daemonsets);
  const getSet = (name: string) => sets().get(name, { namespace: ns });
  const podsOf = async (ds: string) => (await pods().list({ namespace: ns })).items.filter((p) => p.metadata.ownerReferences?.[0]?.name === ds);
  /** node → pod names (live pods only), sorted. */
  const placement = async (ds: string) => (await podsOf(ds)).filter((p) => !p.metadata.deletionTimestamp).map((p) => `${targetNodeName(p)}`).sort().join();
  const revisionsOf = async (ds: string) => (await client.resource<ControllerRevision>(resources.controllerrevisions).list({ namespace: ns })).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === ds);
  const events = async (ds: string) => (await client.resource(resources.events).list({ namespace: ns })).items
    .filter((e) => (e as unknown as { involvedObject: { name: string } }).involvedObject.name === ds)
    .map((e) => `${(e as unknown as { reason: string }).reason}: ${(e as unknown as { message: string }).message}`);
  const setStatus = (p: Pod, phase: string, ready: boolean): Promise<Pod> => writePodStatus(client, { ...p, metadata: { ...p.metadata, namespace: ns } }, phase, ready);
  async function makeNode(name: string, labels: Record<string, string>, taints: unknown[] = []): Promise<void> {
    const n = await nodes().create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } } as Node);
    await nodes().update({ ...n, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' }, capacity: { cpu: '4', memory: '8Gi', pods: '110' } } } as Node, { subresource: 'status' });
  }
  const labelNode = (name: string, labels: Record<string, string | null>) => nodes().patch(name, { metadata: { labels } }, 'application/merge-patch+json');
  function dsObject(name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): DaemonSet {
    return {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { nodeSelector: { [`run-${name}`]: 'yes' }, containers: [{ name: 'c', image: 'img:1' }], ...podSpec } },
        ...spec,
      },
    };
  }
  const setImage = (name: string, image: string) =>
    sets().patch(name, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'application/merge-patch+json', { namespace: ns });

  it('one pod per eligible node: selector and taints; affinity, tolerations, labels, owner; status, events, revision', async () => {
    await makeNode('a1', { 'run-ag': 'yes' });
    await makeNode('a2', { 'run-ag': 'yes' });
    await makeNode('a3', { 'run-ag': 'yes' }, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    await makeNode('a4', {});
    await makeNode('a5', { 'run-ag': 'yes' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]);
    await sets().create(dsObject('ag', {}, { hostNetwork: true }), { namespace: ns });
    await until('pods on a1, a2, a5', async () => (await placement('ag')) === 'a1,a2,a5');
    const ds = await getSet('ag');
    const p = (await podsOf('ag')).find((x) => targetNodeName(x) === 'a1')!;
    assert.match(p.metadata.name!, /^ag-/);
    assert.equal(p.metadata.generateName, 'ag-');
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ag', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a1'] }] }]);
    assert.equal(p.spec?.nodeName, undefined, 'the scheduler binds it');
    const tols = (p.spec?.tolerations ?? []).map((t) => `${t.key}:${t.operator}:${t.effect}:${t.tolerationSeconds ?? ''}`);
    for (const t of ['not-ready:Exists:NoExecute:', 'unreachable:Exists:NoExecute:', 'disk-pressure:Exists:NoSchedule:', 'memory-pressure:Exists:NoSchedule:', 'pid-pressure:Exists:NoSchedule:', 'unschedulable:Exists:NoSchedule:', 'network-unavailable:Exists:NoSchedule:']) {
      assert.ok(tols.includes(`node.kubernetes.io/${t}`), `toleration ${t} in ${tols}`);
    }
    const revs = await revisionsOf('ag');
    assert.equal(revs.length, 1);
    const hash = p.metadata.labels?.['controller-revision-hash'];
    assert.equal(revs[0].metadata.name, `ag-${hash}`);
    assert.equal(revs[0].revision, 1);
    assert.equal(revs[0].metadata.labels?.['controller-revision-hash'], hash);
    assert.equal(p.metadata.labels?.app, 'ag');
    let st = (await until('status 3 desired/current', async () => { const s = await getSet('ag'); return s.status?.currentNumberScheduled === 3 && s; })).status;
    assert.deepEqual({ ...st, observedGeneration: undefined }, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 3, numberAvailable: 0, numberUnavailable: 3, collisionCount: 0, observedGeneration: undefined });
    assert.equal(st.observedGeneration, ds.metadata.generation);
    for (const x of await podsOf('ag')) await setStatus(x, 'Running', true);
    st = (await until('3 ready', async () => { const s = await getSet('ag'); return s.status?.numberAvailable === 3 && s; })).status;
    assert.equal(st.numberReady, 3);
    assert.equal(st.numberUnavailable, 0);
    const ev = await events('ag');
    for (const x of await podsOf('ag')) assert.ok(ev.includes(`SuccessfulCreate: Created pod: ${x.metadata.name}`), `event for ${x.metadata.name} in ${ev}`);
  });

  it('node added → pod; label removed → pod deleted; NoSchedule taint keeps, NoExecute evicts; node deleted → bound pod kept', async () => {
    await makeNode('a6', { 'run-ag': 'yes' });
    await until('pod on a6', async () => (await placement('ag')) === 'a1,a2,a5,a6');
    const onA2 = (await podsOf('ag')).find((x) => targetNodeName(x) === 'a2')!;
    await labelNode('a2', { 'run-ag': null });
    await until('pod on a2 deleted', async () => (await placement('ag')) === 'a1,a5,a6');
    await until('delete event', async () => (await events('ag')).includes(`SuccessfulDelete: Deleted pod: ${onA2.metadata.name}`));
    // NoSchedule: the running pod stays (the desired count drops, the pod is misscheduled).
    await nodes().patch('a6', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, 'application/merge-patch+json');
    await until('a6 misscheduled', async () => (await getSet('ag')).status?.numberMisscheduled === 1);
    assert.equal(await placement('ag'), 'a1,a5,a6');
    await nodes().patch('a6', { spec: { taints: [{ key: 'k', effect: 'NoExecute' }] } }, 'application/merge-patch+json');
    await until('a6 pod evicted', async () => (await placement('ag')) === 'a1,a5');
    // A bound pod on a node that goes away is left to pod GC.
    const onA5 = (await podsOf('ag')).find((x) => targetNodeName(x) === 'a5')!;
    await pods().create({ apiVersion: 'v1', kind: 'Binding', metadata: { name: onA5.metadata.name }, target: { kind: 'Node', name: 'a5' } } as never, { namespace: ns, name: onA5.metadata.name, subresource: 'binding' });
    await nodes().delete('a5');
    // No node-delete handler upstream: a touch of the set brings the next pass.
    let touch = 0;
    await until('desired 1', async () => {
      await sets().patch('ag', { metadata: { labels: { touch: String(touch++) } } }, 'application/merge-patch+json', { namespace: ns });
      return (await getSet('ag')).status?.desiredNumberScheduled === 1;
    });
    assert.equal((await pods().get(onA5.metadata.name!, { namespace: ns })).metadata.deletionTimestamp, undefined);
  });

  it('extra pods on a node: the oldest kept; a failed pod is deleted and recreated', async () => {
    await makeNode('b1', { 'run-ex': 'yes' });
    await sets().create(dsObject('ex'), { namespace: ns });
    const first = await until('pod on b1', async () => (await podsOf('ex'))[0]);
    // An orphan with matching labels targeting b1: adopted, then deleted as the newer one
    // (creation times have second precision: its name sorts after any generated one on a tie).
    const orphan = await pods().create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ex-zzzzzz-extra', namespace: ns, labels: { app: 'ex' } },
      spec: { containers: [{ name: 'c', image: 'img:1' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b1'] }] }] } } } } } as Pod, { namespace: ns });
    await until('extra deleted', async () => pods().get('ex-zzzzzz-extra', { namespace: ns }).then(() => false, (e) => isNotFound(e)));
    assert.ok((await events('ex')).includes(`SuccessfulDelete: Deleted pod: ${orphan.metadata.name}`));
    assert.deepEqual((await podsOf('ex')).map((x) => x.metadata.uid), [first.metadata.uid]);
    await setStatus(first, 'Failed', false);
    const again = await until('recreated', async () => { const l = await podsOf('ex'); return l.length === 1 && l[0].metadata.uid !== first.metadata.uid && l[0]; });
    assert.equal(targetNodeName(again), 'b1');
    assert.ok((await events('ex')).includes(`FailedDaemonPod: Found failed daemon pod ${ns}/${first.metadata.name} on node b1, will try to kill it`));
  });

  it('RollingUpdate maxUnavailable 1: one node at a time; history truncated to revisionHistoryLimit', async () => {
    for (const n of ['c1', 'c2', 'c3']) await makeNode(n, { 'run-ru': 'yes' });
    autoReady.add('ru');
    await sets().create(dsObject('ru', { revisionHistoryLimit: 1 }), { namespace: ns });
    await until('3 available', async () => (await getSet('ru')).status?.numberAvailable === 3);
    let worst = 3;
    let rolled = false;
    const watch = (async () => {
      while (!rolled) {
        const live = (await podsOf('ru')).filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        worst = Math.min(worst, new Set(live.map(targetNodeName)).size);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await setImage('ru', 'img:2');
    const done = await until('rolled out', async () => {
      const s = await getSet('ru'); const l = await podsOf('ru');
      return s.status?.updatedNumberScheduled === 3 && s.status.numberAvailable === 3 && l.length === 3 && l.every((p) => p.spec?.containers?.[0].image === 'img:2') && s;
    }, 20_000);
    rolled = true; await watch;
    assert.ok(worst >= 2, `never more than one node without an available pod (saw ${worst})`);
    assert.equal(done.status!.numberUnavailable, 0);
    await setImage('ru', 'img:3');
    await until('rolled to img:3', async () => { const s = await getSet('ru'); const l = await podsOf('ru'); return s.status?.updatedNumberScheduled === 3 && s.status.numberAvailable === 3 && l.length === 3 && l.every((p) => p.spec?.containers?.[0].image === 'img:3'); }, 20_000);
    await until('history: current + 1', async () => (await revisionsOf('ru')).length === 2);
    assert.deepEqual((await revisionsOf('ru')).map((r) => r.revision).sort(), [2, 3]);
    // Back to img:2: its revision is reused, renumbered after the newest.
    const rev2 = (await revisionsOf('ru')).find((r) => r.revision === 2)!.metadata.name;
    await setImage('ru', 'img:2');
    await until('rolled back to img:2', async () => { const s = await getSet('ru'); const l = await podsOf('ru'); return s.status?.updatedNumberScheduled === 3 && s.status.numberAvailable === 3 && l.length === 3 && l.every((p) => p.spec?.containers?.[0].image === 'img:2'); }, 20_000);
    const after = await revisionsOf('ru');
    assert.deepEqual(after.map((r) => `${r.metadata.name === rev2 ? 'rev2' : 'other'}:${r.revision}`).sort(), ['other:3', 'rev2:4']);
    assert.ok((await podsOf('ru')).every((p) => `ru-${p.metadata.labels?.['controller-revision-hash']}` === rev2));
  });

  it('RollingUpdate maxSurge 1: the new pod first, the old one deleted once the new one is available', async () => {
    for (const n of ['d1', 'd2']) await makeNode(n, { 'run-su': 'yes' });
    await sets().create(dsObject('su', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }), { namespace: ns });
    await until('2 pods', async () => (await podsOf('su')).length === 2);
    for (const p of await podsOf('su')) await setStatus(p, 'Running', true);
    await until('2 available', async () => (await getSet('su')).status?.numberAvailable === 2);
    await setImage('su', 'img:2');
    const surge = await until('a surge pod', async () => { const l = await podsOf('su'); return l.length === 3 && l; });
    const fresh = surge.find((p) => p.spec?.containers?.[0].image === 'img:2')!;
    const node = targetNodeName(fresh);
    const oldOnNode = surge.find((p) => p !== fresh && targetNodeName(p) === node)!;
    // Not ready yet: both pods stay, no second surge (the status pass after it counts the surge node's old pod).
    await until('status counts the surge node', async () => (await getSet('su')).status?.currentNumberScheduled === 2);
    assert.equal((await podsOf('su')).length, 3);
    await setStatus(fresh, 'Running', true);
    await until('old pod on the surged node deleted', async () => !(await podsOf('su')).some((p) => p.metadata.uid === oldOnNode.metadata.uid));
    autoReady.add('su');
    await until('rolled out', async () => { const s = await getSet('su'); const l = await podsOf('su'); return s.status?.updatedNumberScheduled === 2 && s.status.numberAvailable === 2 && l.length === 2 && l.every((p) => p.spec?.containers?.[0].image === 'img:2'); });
  });

  it('OnDelete: pods take the new template only when deleted', async () => {
    for (const n of ['e1', 'e2']) await makeNode(n, { 'run-od': 'yes' });
    autoReady.add('od');
    await sets().create(dsObject('od', { updateStrategy: { type: 'OnDelete' } }), { namespace: ns });
    await until('2 available', async () => (await getSet('od')).status?.numberAvailable === 2);
    await setImage('od', 'img:2');
    await until('status: 0 updated', async () => { const s = await getSet('od'); return s.status?.observedGeneration === s.metadata.generation && s.status?.updatedNumberScheduled === 0; });
    const victim = (await podsOf('od')).find((p) => targetNodeName(p) === 'e1')!;
    await pods().delete(victim.metadata.name!, { namespace: ns });
    const fresh = await until('recreated on e1', async () => (await podsOf('od')).find((p) => targetNodeName(p) === 'e1' && p.metadata.uid !== victim.metadata.uid));
    assert.equal(fresh.spec?.containers?.[0].image, 'img:2');
    await until('status: 1 updated', async () => (await getSet('od')).status?.updatedNumberScheduled === 1);
    assert.equal((await podsOf('od')).find((p) => targetNodeName(p) === 'e2')!.spec?.containers?.[0].image, 'img:1');
  });
});
