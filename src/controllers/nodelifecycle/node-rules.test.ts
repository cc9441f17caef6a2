/**
 * The node lifecycle controller's pure rules: last heartbeat from Lease and Ready
 * condition, conditions turned Unknown, and the taints derived from conditions/spec.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/core/v1/types.js';
import type { Lease } from '../../api/coordination/v1/types.js';
import { isHeartbeatStale, lastHeartbeat, unknownConditions } from './node-health.js';
import { desiredControllerTaints, reconcileNodeTaints } from './node-taints.js';

const node = (conditions: Array<{ type: string; status: string; lastHeartbeatTime?: string }>, spec: Node['spec'] = {}): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' }, spec, status: { conditions } }) as Node;
const lease = (renewTime: string): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n' }, spec: { renewTime } }) as Lease;

describe('node health', () => {
  it('last heartbeat is the later of Lease renewTime and Ready lastHeartbeatTime, else creation', () => {
    const n = node([{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:01:00Z' }]);
    assert.equal(lastHeartbeat(n, lease('2026-01-01T00:02:00.123000Z')), Date.parse('2026-01-01T00:02:00.123Z'));
    assert.equal(lastHeartbeat(n, lease('2026-01-01T00:00:30.000000Z')), Date.parse('2026-01-01T00:01:00Z'));
    assert.equal(lastHeartbeat(n, undefined), Date.parse('2026-01-01T00:01:00Z'));
    assert.equal(lastHeartbeat(node([]), undefined), Date.parse('2026-01-01T00:00:00Z'));
    const t = Date.parse('2026-01-01T00:01:00Z');
    assert.equal(isHeartbeatStale(n, undefined, t + 40_000, 40_000), false);
    assert.equal(isHeartbeatStale(n, undefined, t + 40_001, 40_000), true);
  });

  it('turns the kubelet conditions Unknown, adds missing ones, keeps others; undefined when already so', () => {
    const n = node([{ type: 'Ready', status: 'True', lastHeartbeatTime: 'h' }, { type: 'NetworkUnavailable', status: 'False' }, { type: 'DiskPressure', status: 'Unknown' }]);
    const c = unknownConditions(n, '2026-01-01T00:05:00Z')!;
    const by = (t: string) => c.find((x) => x.type === t)!;
    assert.deepEqual(by('Ready'), { type: 'Ready', status: 'Unknown', lastHeartbeatTime: 'h', lastTransitionTime: '2026-01-01T00:05:00Z', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    assert.equal(by('MemoryPressure').reason, 'NodeStatusNeverUpdated');
    assert.equal(by('PIDPressure').status, 'Unknown');
    assert.deepEqual(by('DiskPressure'), { type: 'DiskPressure', status: 'Unknown' });
    assert.equal(by('NetworkUnavailable').status, 'False');
    assert.equal(unknownConditions({ ...n, status: { conditions: c } }, 'later'), undefined);
  });
});

describe('node taints', () => {
  it('derives NoExecute/NoSchedule taints from conditions and spec.unschedulable', () => {
    const keys = (n: Node) => desiredControllerTaints(n).map((t) => `${t.key}:${t.effect}`);
    assert.deepEqual(keys(node([{ type: 'Ready', status: 'Unknown' }])), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.deepEqual(keys(node([{ type: 'Ready', status: 'False' }])), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    assert.deepEqual(keys(node([{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'True' }, { type: 'DiskPressure', status: 'True' },
      { type: 'PIDPressure', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' }], { unschedulable: true })), [
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/network-unavailable:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
    assert.deepEqual(keys(node([{ type: 'Ready', status: 'True' }, { type: 'MemoryPressure', status: 'False' }])), []);
  });

  it('keeps foreign taints and existing timeAdded, stamps new NoExecute taints, removes stale ones', () => {
    const now = Date.parse('2026-01-01T00:10:00Z');
    const foreign = { key: 'node.kubernetes.io/unreachable', effect: 'PreferNoSchedule' };
    const other = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };
    const n = node([{ type: 'Ready', status: 'Unknown' }], { taints: [other, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }, foreign] });
    assert.deepEqual(reconcileNodeTaints(n, now), [other, foreign,
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:10:00Z' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    const stable = node([{ type: 'Ready', status: 'Unknown' }], { taints: reconcileNodeTaints(n, now) });
    assert.equal(reconcileNodeTaints(stable, now + 5000), undefined);
    const back = node([{ type: 'Ready', status: 'True' }], stable.spec);
    assert.deepEqual(reconcileNodeTaints(back, now), [other, foreign]);
  });
});
