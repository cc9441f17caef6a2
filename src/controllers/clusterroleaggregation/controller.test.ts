/** ClusterRole aggregation against an in-process apiserver. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { until, startControllerHarness, type ControllerHarness } from '../../../test/support/apiserver.js';
import type { Client } from '../../client/interface.js';
import type { ClusterRole } from '../../api/rbac/v1/cluster-role.js';
import { aggregateRules, CLUSTER_ROLES, ClusterRoleAggregationController } from './controller.js';

const cr = (name: string, labels: Record<string, string>, rules: unknown[], extra: Record<string, unknown> = {}): ClusterRole =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules, ...extra }) as ClusterRole;
const pods = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
const deploys = { verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'] };
const secrets = { verbs: ['get'], apiGroups: [''], resources: ['secrets'] };

describe('aggregateRules', () => {
  it('unions matching roles per selector, by name, without duplicates or itself', () => {
    const agg = cr('agg', { a: 'x' }, [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'x' } }, { matchExpressions: [{ key: 'b', operator: 'Exists' }] }] } });
    const all = [agg, cr('z', { a: 'x' }, [secrets, pods]), cr('m', { a: 'x' }, [{ ...pods, resourceNames: [] }, deploys]), cr('b-only', { b: '1' }, [secrets, { verbs: ['watch'], apiGroups: [''], resources: ['pods'] }]), cr('other', {}, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }])];
    assert.deepEqual(aggregateRules(agg, all), [{ ...pods, resourceNames: [] }, deploys, secrets, { verbs: ['watch'], apiGroups: [''], resources: ['pods'] }]);
  });
});

describe('clusterrole-aggregation controller', { timeout: 30_000 }, () => {
  let harness: ControllerHarness;
  let client: Client;
  before(async () => {
    harness = await startControllerHarness('cragg', (c, informers) => [new ClusterRoleAggregationController(c, informers)], []);
    client = harness.client;
  });
  after(async () => { await harness.stop(); });

  const rulesOf = async (name: string) => ((await client.resource<ClusterRole>(CLUSTER_ROLES).get(name)).rules ?? []) as unknown[];

  it('fills and follows the rules of aggregated ClusterRoles', async () => {
    const roles = client.resource<ClusterRole>(CLUSTER_ROLES);
    await roles.create(cr('monitoring', {}, [], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } }));
    await roles.create(cr('monitoring-endpoints', { 'rbac.example.com/aggregate-to-monitoring': 'true' }, [pods]));
    await until('rules aggregated', async () => JSON.stringify(await rulesOf('monitoring')) === JSON.stringify([pods]));

    await roles.create(cr('monitoring-apps', { 'rbac.example.com/aggregate-to-monitoring': 'true' }, [deploys, pods]));
    await until('new role aggregated', async () => JSON.stringify(await rulesOf('monitoring')) === JSON.stringify([deploys, pods]));

    // Hand edits are overwritten; removed roles drop out.
    const cur = await roles.get('monitoring');
    await roles.update({ ...cur, rules: [secrets] });
    await until('rules restored', async () => JSON.stringify(await rulesOf('monitoring')) === JSON.stringify([deploys, pods]));
    await roles.delete('monitoring-apps');
    await until('deleted role dropped', async () => JSON.stringify(await rulesOf('monitoring')) === JSON.stringify([pods]));
    assert.deepEqual(await rulesOf('monitoring-endpoints'), [pods]);
  });
});
