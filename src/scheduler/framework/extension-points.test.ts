/** Reserve/Unreserve, Permit (wait, allow, reject, timeout), PreBind/PostBind and PostFilter of the Framework. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { Node } from '../../api/core/v1/types.js';
import { CycleState } from './cycle-state.js';
import { Framework } from './framework.js';
import type { Plugin, PluginFactory } from './interface.js';
import { newNodeInfo } from './node-info.js';
import { asError, success, unschedulable, type Status } from './status.js';
import { goDuration } from './waiting-pods.js';

const node = (name: string): Node => ({ metadata: { name }, status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } });
const pod = (name = 'p'): Pod => ({ metadata: { name, namespace: 'd', uid: `uid-${name}` }, spec: { containers: [{ name: 'c', image: 'i' }] } });

/** A registry of plugins that record `<plugin>.<point>` into `log`; `status` overrides a point's result. */
function recorder(log: string[], names: string[], status: Record<string, Status | { status: Status; timeoutMs?: number }> = {}): Record<string, PluginFactory> {
  const reg: Record<string, PluginFactory> = {};
  for (const n of names) {
    reg[n] = (): Plugin => ({
      name: n,
      reserve: () => { log.push(`${n}.reserve`); return (status[`${n}.reserve`] as Status) ?? success(); },
      unreserve: () => { log.push(`${n}.unreserve`); },
      permit: () => { log.push(`${n}.permit`); const s = status[`${n}.permit`]; return s && 'status' in s ? s : { status: (s as Status) ?? success() }; },
      preBind: async () => { log.push(`${n}.preBind`); return (status[`${n}.preBind`] as Status) ?? success(); },
      postBind: () => { log.push(`${n}.postBind`); },
    }) as Plugin;
  }
  return reg;
}

describe('Framework Reserve / Unreserve', () => {
  it('reserves in profile order, stops at the first failure; unreserve runs every plugin in reverse', () => {
    const log: string[] = [];
    const f = new Framework(recorder(log, ['A', 'B', 'C'], { 'B.reserve': unschedulable('no room') }), [{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
    const s = f.runReserve(new CycleState(), pod(), 'n');
    assert.deepEqual([s.code, s.plugin, s.reasons], ['Unschedulable', 'B', ['no room']]);
    f.runUnreserve(new CycleState(), pod(), 'n');
    assert.deepEqual(log, ['A.reserve', 'B.reserve', 'C.unreserve', 'B.unreserve', 'A.unreserve']);
  });

  it('a throwing Reserve is an Error status naming the plugin', () => {
    const f = new Framework({ X: () => ({ name: 'X', reserve: () => { throw new Error('boom'); }, unreserve: () => undefined }) as Plugin }, [{ name: 'X' }]);
    const s = f.runReserve(new CycleState(), pod(), 'n');
    assert.deepEqual([s.code, s.plugin, s.reasons], ['Error', 'X', ['boom']]);
  });
});

describe('Framework Permit', () => {
  it('Success when every plugin allows; a rejection is returned at once with its plugin', async () => {
    const log: string[] = [];
    const ok = new Framework(recorder(log, ['A', 'B']), [{ name: 'A' }, { name: 'B' }]);
    assert.equal(ok.runPermit(new CycleState(), pod(), 'n').code, 'Success');
    assert.equal((await ok.waitOnPermit(pod())).code, 'Success');
    const log2: string[] = [];
    const no = new Framework(recorder(log2, ['A', 'B'], { 'A.permit': unschedulable('quota') }), [{ name: 'A' }, { name: 'B' }]);
    const s = no.runPermit(new CycleState(), pod(), 'n');
    assert.deepEqual([s.code, s.plugin, s.reasons], ['Unschedulable', 'A', ['quota']]);
    assert.deepEqual(log2, ['A.permit']);
  });

  it('Wait holds the pod until every waiting plugin allows it (looked up by uid or name)', async () => {
    const wait = { status: { code: 'Wait', reasons: [] } as Status, timeoutMs: 10_000 };
    const f = new Framework(recorder([], ['A', 'B'], { 'A.permit': wait, 'B.permit': wait }), [{ name: 'A' }, { name: 'B' }]);
    const p = pod('w');
    assert.equal(f.runPermit(new CycleState(), p, 'n').code, 'Wait');
    let settled: Status | undefined;
    const waiting = f.waitOnPermit(p).then((s) => { settled = s; return s; });
    const wp = f.getWaitingPod('uid-w')!;
    assert.deepEqual(wp.pendingPlugins(), ['A', 'B']);
    assert.equal(f.findWaitingPod('d', 'w'), wp);
    wp.allow('A');
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, undefined);
    wp.allow('B');
    assert.equal((await waiting).code, 'Success');
    assert.equal(f.getWaitingPod('uid-w'), undefined);
  });

  it('a waiting pod rejected through the framework is Unschedulable', async () => {
    const f = new Framework(recorder([], ['A'], { 'A.permit': { status: { code: 'Wait', reasons: [] }, timeoutMs: 10_000 } }), [{ name: 'A' }]);
    const p = pod('r');
    f.runPermit(new CycleState(), p, 'n');
    const waiting = f.waitOnPermit(p);
    let seen = 0;
    f.iterateOverWaitingPods(() => { seen++; });
    assert.equal(seen, 1);
    assert.equal(f.rejectWaitingPod('uid-r', 'Gang', 'not enough members'), true);
    const s = await waiting;
    assert.deepEqual([s.code, s.plugin, s.reasons], ['Unschedulable', 'Gang', ['not enough members']]);
    assert.equal(f.rejectWaitingPod('uid-r', 'Gang', 'again'), false);
  });

  it('a wait that times out is Unschedulable with upstream wording', async () => {
    const f = new Framework(recorder([], ['A'], { 'A.permit': { status: { code: 'Wait', reasons: [] }, timeoutMs: 30 } }), [{ name: 'A' }]);
    const p = pod('t');
    f.runPermit(new CycleState(), p, 'n');
    const s = await f.waitOnPermit(p);
    assert.deepEqual([s.code, s.plugin, s.reasons], ['Unschedulable', 'A', ['rejected due to timeout after waiting 30ms at plugin A']]);
    assert.deepEqual([goDuration(1500), goDuration(90_000), goDuration(2000)], ['1.5s', '1m30s', '2s']);
  });
});

describe('Framework PreBind / PostBind', () => {
  it('PreBind stops at the first failure; PostBind runs all', async () => {
    const log: string[] = [];
    const f = new Framework(recorder(log, ['A', 'B'], { 'A.preBind': asError(new Error('volume')) }), [{ name: 'A' }, { name: 'B' }]);
    const s = await f.runPreBind(new CycleState(), pod(), 'n');
    assert.deepEqual([s.code, s.plugin], ['Error', 'A']);
    f.runPostBind(new CycleState(), pod(), 'n');
    assert.deepEqual(log, ['A.preBind', 'A.postBind', 'B.postBind']);
  });
});

describe('Framework PostFilter and the nominated node', () => {
  const fitError = { numAllNodes: 1, nodeStatuses: new Map([['n1', unschedulable('Insufficient cpu')]]) };
  it('the first Success wins with its nominated node; rejections let the next plugin try', async () => {
    const calls: string[] = [];
    const reg: Record<string, PluginFactory> = {
      No: () => ({ name: 'No', postFilter: async () => { calls.push('No'); return { status: unschedulable('nope') }; } }) as Plugin,
      Yes: () => ({ name: 'Yes', postFilter: async (_s: CycleState, _p: Pod, m: Map<string, Status>) => { calls.push(`Yes:${[...m.keys()]}`); return { status: success(), result: { nominatedNodeName: 'n1' } }; } }) as Plugin,
      Never: () => ({ name: 'Never', postFilter: async () => { calls.push('Never'); return { status: success() }; } }) as Plugin,
    };
    const out = await new Framework(reg, [{ name: 'No' }, { name: 'Yes' }, { name: 'Never' }]).runPostFilter(new CycleState(), pod(), fitError);
    assert.deepEqual([out.status.code, out.status.plugin, out.nominatedNodeName], ['Success', 'Yes', 'n1']);
    assert.deepEqual(calls, ['No', 'Yes:n1']);
    const none = await new Framework(reg, [{ name: 'No' }]).runPostFilter(new CycleState(), pod(), fitError);
    assert.deepEqual([none.status.code, none.status.reasons, none.nominatedNodeName], ['Unschedulable', ['nope'], undefined]);
  });

  it('a pod with status.nominatedNodeName is placed there when it fits, before the other nodes', () => {
    const seen: string[] = [];
    const reg: Record<string, PluginFactory> = { Spy: () => ({ name: 'Spy', filter: (_s: CycleState, _p: Pod, n: { node: Node }) => { seen.push(n.node.metadata.name!); return success(); } }) as Plugin };
    const f = new Framework(reg, [{ name: 'Spy' }]);
    const nodes = ['a', 'b', 'c'].map((n) => newNodeInfo(node(n), []));
    const r = f.schedule({ ...pod(), status: { nominatedNodeName: 'c' } }, nodes);
    assert.deepEqual(r, { kind: 'scheduled', nodeName: 'c', feasibleNodes: 1, evaluatedNodes: 1 });
    assert.deepEqual(seen, ['c']);
  });
});
