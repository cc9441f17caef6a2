/**
 * ControllerRevision history helpers: hashing (FNV-32, safe encoding, key order,
 * collision count), naming, numbering, ordering; creation with a collision against an
 * in-process apiserver, and truncation that keeps live revisions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import { resources, type Client } from '../../client/interface.js';
import type { ControllerRevision } from '../../api/apps/v1/controller-revision.js';
import { CONTROLLER_REVISION_HASH_LABEL, controllerRevisionName, createControllerRevision, equalRevision, fnv32, hashControllerRevision, newControllerRevision, nextRevision, ownedRevisions, sortControllerRevisions, truncateHistory } from './controller-history.js';

describe('history helpers (pure)', () => {
  it('fnv32 is Go hash/fnv New32 (FNV-1)', () => {
    // Known FNV-1 32-bit vectors: "" → 0x811c9dc5, "a" → 0x050c5d7e.
    assert.equal(fnv32(new TextEncoder().encode('')), 0x811c9dc5);
    assert.equal(fnv32(new TextEncoder().encode('a')), 0x050c5d7e);
  });
  it('hash: equal data equal hash whatever the key order; safe alphabet; collision count changes it', () => {
    const a = { spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } } };
    const b = { spec: { template: { spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'a' } } } } };
    const h = hashControllerRevision(a);
    assert.equal(h, hashControllerRevision(b));
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.notEqual(hashControllerRevision(a, 1), h);
    assert.equal(hashControllerRevision(a, 1), hashControllerRevision(b, 1));
    assert.notEqual(hashControllerRevision({ spec: { template: { spec: { containers: [{ name: 'c', image: 'i:2' }] } } } }), h);
  });
  it('names, new revisions, equality, order and next number', () => {
    assert.equal(controllerRevisionName('web', 'abc'), 'web-abc');
    assert.equal(controllerRevisionName('x'.repeat(300), 'h').length, 225);
    const parent = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
    const r = newControllerRevision({ parent, apiVersion: 'apps/v1', kind: 'StatefulSet' }, { app: 'a' }, { x: 1 }, 3, 0);
    const hash = r.metadata.labels![CONTROLLER_REVISION_HASH_LABEL];
    assert.equal(r.metadata.name, `web-${hash}`);
    assert.equal(r.metadata.labels!.app, 'a');
    assert.equal(r.revision, 3);
    assert.deepEqual(r.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
    assert.ok(equalRevision(r, { ...r, data: { x: 1 } }));
    assert.ok(!equalRevision(r, { ...r, data: { x: 2 } }));
    const revs = [{ ...r, revision: 5 }, { ...r, revision: 2 }, { ...r, revision: 9 }] as ControllerRevision[];
    assert.deepEqual(sortControllerRevisions(revs).map((x) => x.revision), [2, 5, 9]);
    assert.equal(nextRevision(revs), 10);
    assert.equal(nextRevision([]), 1);
    assert.equal(ownedRevisions([r, { ...r, metadata: { ...r.metadata, ownerReferences: [] } }], parent as never).length, 1);
  });
});

describe('history helpers (apiserver)', { timeout: 30_000 }, () => {
  let server: TestApiServer;
  let client: Client;
  const ns = 'default';
  before(async () => {
    server = await startTestApiServer('history');
    client = server.adminClient();
    await client.resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(async () => { await server.close(); });
  const api = () => client.resource<ControllerRevision>(resources.controllerrevisions);

  it('creates, returns an equal existing one, bumps the collision count on a different one', async () => {
    const parent = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: ns, uid: 'u-db' } };
    const owner = { parent, apiVersion: 'apps/v1', kind: 'StatefulSet' };
    const rev = newControllerRevision(owner, { app: 'db' }, { v: 1 }, 1, 0);
    const count = { value: 0 };
    const created = await createControllerRevision(client, owner, rev, count);
    assert.equal(created.metadata.name, rev.metadata.name);
    assert.equal(count.value, 0);
    const again = await createControllerRevision(client, owner, rev, count);
    assert.equal(again.metadata.uid, created.metadata.uid);
    assert.equal(count.value, 0);
    // Someone else's revision under the name the next data would hash to.
    const other = newControllerRevision(owner, {}, { v: 2 }, 2, 0);
    await api().create({ ...other, data: { squatter: true } }, { namespace: ns });
    const bumped = await createControllerRevision(client, owner, other, count);
    assert.equal(count.value, 1);
    assert.equal(bumped.metadata.name, `db-${hashControllerRevision({ v: 2 }, 1)}`);
    assert.deepEqual(bumped.data, { v: 2 });
  });

  it('truncates the oldest non-live revisions to the limit', async () => {
    const parent = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'tr', namespace: ns, uid: 'u-tr' } };
    const owner = { parent, apiVersion: 'apps/v1', kind: 'StatefulSet' };
    const made: ControllerRevision[] = [];
    for (let i = 1; i <= 5; i++) made.push(await createControllerRevision(client, owner, newControllerRevision(owner, {}, { i }, i), { value: 0 }));
    // r1 is live (a pod runs it); limit 2 keeps r4, r5 of the others r2..r5.
    const deleted = await truncateHistory(client, made, new Set([made[0].metadata.name!]), 2);
    assert.deepEqual(deleted, [made[1].metadata.name, made[2].metadata.name]);
    const left = (await api().list({ namespace: ns })).items.filter((r) => r.metadata.name!.startsWith('tr-')).map((r) => r.revision).sort();
    assert.deepEqual(left, [1, 4, 5]);
  });
});
