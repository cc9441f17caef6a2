import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../test/support/apiserver.js';
import { resources } from '../client/interface.js';
import type { KubeObject } from '../api/object.js';
import { serviceAccountClients } from './service-account-clients.js';

describe('per-controller ServiceAccount clients (--use-service-account-credentials)', () => {
  let server: TestApiServer;
  const ac = new AbortController();
  before(async () => {
    server = await startTestApiServer('sa-clients');
    await server.adminClient().resource(resources.namespaces).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  });
  after(async () => { ac.abort(); await server.close(); });

  it('creates the controller\'s ServiceAccount in kube-system and talks as it, one client per ServiceAccount', async () => {
    const admin = server.adminClient();
    const clientFor = serviceAccountClients({ root: admin, base: { server: server.api.url, caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem }, signal: ac.signal });
    const gc = await clientFor('garbagecollector');
    const who = await gc.resource({ group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', namespaced: false } as never)
      .create<{ status: { userInfo: { username: string; groups: string[] } } } & KubeObject>({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} });
    assert.equal(who.status.userInfo.username, 'system:serviceaccount:kube-system:generic-garbage-collector');
    assert.ok(who.status.userInfo.groups.includes('system:serviceaccounts:kube-system'));
    const sa = await admin.resource(resources.serviceaccounts).get('generic-garbage-collector', { namespace: 'kube-system' });
    assert.equal(sa.metadata.name, 'generic-garbage-collector');
    assert.equal(await clientFor('nodelifecycle'), await clientFor('nodeipam'), 'both run as node-controller');
  });
});
