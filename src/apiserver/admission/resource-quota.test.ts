/**
 * ResourceQuota admission through an in-process apiserver (no quota controller: the
 * tests write the quotas' status as it would): usage raised by each admitted create,
 * the refusal texts as upstream words them, dry runs and other namespaces untouched,
 * object counts for any stored kind, and the pod "must specify" rule.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../api/object.js';
import { podConstraintError } from './resource-quota.js';
import type { Pod } from '../../api/core/v1/pod-types.js';

describe('ResourceQuota admission', { timeout: 30_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ns = 'quota-team';
  const quotas = () => client.resource<KubeObject & { status?: { hard?: Record<string, string>; used?: Record<string, string> } }>(resources.resourcequotas);
  const quota = async (name: string, hard: Record<string, string>, used: Record<string, string>): Promise<void> => {
    await quotas().create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard } });
    await quotas().patch(name, { status: { hard, used } }, 'application/merge-patch+json', { namespace: ns, subresource: 'status' });
  };
  const pod = (name: string, cpu?: string): KubeObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'app', image: 'busybox', ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}) }] },
  });
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    try { await p; } catch (e) { assert.ok(e instanceof StatusError); assert.equal(e.code, 403); return e.message; }
    assert.fail('expected a refusal');
  };

  before(async () => {
    server = await startTestApiServer('quota-admission');
    client = server.adminClient();
    for (const name of [ns, 'elsewhere']) await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  after(async () => { await server.close(); });

  it('raises usage per create and refuses what would exceed hard, worded as upstream', async () => {
    await quota('compute', { pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' });
    await client.resource(resources.pods).create(pod('a', '500m'));
    assert.deepEqual((await quotas().get('compute', { namespace: ns })).status?.used, { pods: '1', 'requests.cpu': '500m' });
    assert.equal(await refusal(client.resource(resources.pods).create(pod('b', '600m'))),
      'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1');
    // A dry run is judged but changes nothing.
    await client.request('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, pod('c', '500m'));
    assert.deepEqual((await quotas().get('compute', { namespace: ns })).status?.used, { pods: '1', 'requests.cpu': '500m' });
    await client.resource(resources.pods).create(pod('c', '500m'));
    assert.equal(await refusal(client.resource(resources.pods).create(pod('d', '0'))),
      'pods "d" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2');
    assert.equal(await refusal(client.resource(resources.pods).create(pod('e'))),
      'pods "e" is forbidden: failed quota: compute: must specify requests.cpu for: app');
    // Another namespace has no quota.
    await client.resource(resources.pods).create({ ...pod('free'), metadata: { name: 'free', namespace: 'elsewhere' } });
  });

  it('counts objects of any stored kind, and says when a quota has no usage yet', async () => {
    await quota('objects', { 'count/configmaps': '1', 'count/deployments.apps': '0' }, { 'count/configmaps': '0', 'count/deployments.apps': '0' });
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } });
    await client.resource(resources.configmaps).create(cm('one'));
    assert.equal(await refusal(client.resource(resources.configmaps).create(cm('two'))),
      'configmaps "two" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1');
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    assert.equal(await refusal(client.resource(resources.deployments).create(deploy)),
      'deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0');
    await quotas().create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'fresh', namespace: ns }, spec: { hard: { secrets: '5' } } });
    await quotas().patch('fresh', { status: { hard: { secrets: '5' } } }, 'application/merge-patch+json', { namespace: ns, subresource: 'status' });
    assert.equal(await refusal(client.resource(resources.secrets).create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns } })),
      'secrets "s" is forbidden: status unknown for quota: fresh, resource: secrets');
  });

  it('must specify: every container, sorted by resource, names joined', () => {
    const p = { metadata: { name: 'p' }, spec: { containers: [{ name: 'b', resources: { requests: { cpu: '1' } } }, { name: 'a' }], initContainers: [{ name: 'init', resources: { limits: { memory: '1Gi' } } }] } } as unknown as Pod;
    assert.equal(podConstraintError(p, ['limits.memory', 'requests.cpu', 'pods']), 'must specify limits.memory for: a,b; requests.cpu for: a,init');
    assert.equal(podConstraintError(p, ['pods', 'count/pods']), undefined);
  });
});
