/**
 * LimitRanger: defaults and the annotation, the constraint messages as upstream words
 * them, pod totals with init containers and sidecars, claims, and the whole path through
 * an in-process apiserver (a LimitRange, then pods created against it).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/core/v1/pod-types.js';
import { LIMIT_RANGER_ANNOTATION, mutatePod, podTotals, validateClaim, validatePod, type LimitRange } from './limit-ranger.js';
import { startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import { StatusError } from '../../machinery/errors.js';

const lr = (...limits: NonNullable<LimitRange['spec']>['limits'] & object): LimitRange => ({ metadata: { name: 'lr' }, spec: { limits } });
const pod = (containers: unknown[], initContainers: unknown[] = []): Pod => ({ metadata: { name: 'p' }, spec: { containers, initContainers } } as unknown as Pod);

describe('LimitRanger', () => {
  it('fills missing requests and limits from Container defaults and says so in the annotation', () => {
    const p = pod([{ name: 'app', resources: { limits: { cpu: '1' } } }, { name: 'full', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } } }], [{ name: 'setup' }]);
    mutatePod(lr({ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '256Mi' } }), p);
    const res = (i: number) => p.spec!.containers![i].resources as Record<string, Record<string, string>>;
    assert.deepEqual(res(0), { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    assert.deepEqual(res(1).limits, { cpu: '2', memory: '2Gi' });
    assert.equal(p.metadata.annotations![LIMIT_RANGER_ANNOTATION],
      'LimitRanger plugin set: cpu, memory request for container app; memory limit for container app; cpu, memory request for init container setup; cpu, memory limit for init container setup');
  });

  it('words each broken Container constraint as upstream', () => {
    const p = pod([{ name: 'a', resources: { requests: { cpu: '50m' }, limits: { cpu: '2' } } }, { name: 'b', resources: {} }]);
    const errs = validatePod(lr({ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1' }, maxLimitRequestRatio: { cpu: '4' } }), p);
    assert.deepEqual(errs, [
      'minimum cpu usage per Container is 100m, but request is 50m',
      'maximum cpu usage per Container is 1, but limit is 2',
      'cpu max limit to request ratio per Container is 4, but provided ratio is 40.000000',
      'minimum cpu usage per Container is 100m.  No request is specified',
      'maximum cpu usage per Container is 1.  No limit is specified',
      'cpu max limit to request ratio per Container is 4, but no request is specified or request is 0',
    ]);
  });

  it('Pod items judge the effective totals: sidecars add, plain init containers are a floor', () => {
    const p = pod([{ name: 'app', resources: { requests: { memory: '128Mi' }, limits: { memory: '128Mi' } } }],
      [{ name: 'side', restartPolicy: 'Always', resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } } }, { name: 'big', resources: { requests: { memory: '512Mi' }, limits: { memory: '512Mi' } } }]);
    assert.deepEqual(podTotals(p, 'requests'), { memory: '576Mi' });
    assert.deepEqual(validatePod(lr({ type: 'Pod', max: { memory: '256Mi' } }), p), ['maximum memory usage per Pod is 256Mi, but limit is 576Mi']);
  });

  it('claims: min and max on the storage request', () => {
    const claim = { metadata: { name: 'c' }, spec: { resources: { requests: { storage: '20Gi' } } } };
    assert.deepEqual(validateClaim(lr({ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }), claim), ['maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi']);
  });
});

describe('LimitRanger through the apiserver', { timeout: 30_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  before(async () => {
    server = await startTestApiServer('limit-ranger');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await client.request('POST', '/api/v1/namespaces/team/limitranges', {
      apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { cpu: '1' } }] },
    });
  });
  after(async () => { await server.close(); });

  it('defaults a new pod, refuses one over the max with a 403, leaves other namespaces alone', async () => {
    const body = (name: string, resources?: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', ...(resources ? { resources } : {}) }] } });
    const created = await client.resource<Pod>(resources.pods).create(body('plain'), { namespace: 'team' });
    assert.deepEqual(created.spec!.containers![0].resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.match(created.metadata.annotations![LIMIT_RANGER_ANNOTATION], /^LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c$/);
    await assert.rejects(client.resource(resources.pods).create(body('big', { limits: { cpu: '2' } }), { namespace: 'team' }), (e: unknown) => {
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, 403);
      assert.equal(e.message, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
      return true;
    });
    const other = await client.resource<Pod>(resources.pods).create(body('elsewhere'), { namespace: 'default' }).catch(async () => {
      await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
      return client.resource<Pod>(resources.pods).create(body('elsewhere'), { namespace: 'default' });
    });
    assert.deepEqual(other.spec!.containers![0].resources, {});
  });
});
