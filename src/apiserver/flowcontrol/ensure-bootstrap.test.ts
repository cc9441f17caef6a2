import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../../test/support/apiserver.js';
import type { Client } from '../../client/interface.js';
import { AUTOUPDATE_SPEC_ANNOTATION, autoUpdatesSpec, ensureFlowControlBootstrap } from './ensure-bootstrap.js';

const FS = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'flowschemas' };
const PL = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resource: 'prioritylevelconfigurations' };

let server: TestApiServer;
let client: Client;
before(async () => { server = await startTestApiServer('apf-bootstrap', { flowControl: false }); client = server.adminClient(); });
after(async () => { await server.close(); });

test('first run creates the 13 FlowSchemas and 8 levels; a second run changes nothing', async () => {
  const first = await ensureFlowControlBootstrap(client);
  assert.deepEqual(first.errors, []);
  assert.equal(first.created.length, 21);
  const second = await ensureFlowControlBootstrap(client);
  assert.deepEqual(second.errors, []);
  assert.equal(second.unchanged.length, 21, `changed: ${second.updated.join(', ')}`);
  const gd = await client.resource(PL).get('global-default') as any;
  assert.equal(gd.metadata.annotations[AUTOUPDATE_SPEC_ANNOTATION], 'true');
  assert.deepEqual(gd.spec.limited.limitResponse.queuing, { queues: 128, handSize: 6, queueLengthLimit: 50 });
});

test('autoupdate-spec: "false" keeps an edited suggested object; mandatory ones are restored', async () => {
  const gd = await client.resource(PL).get('global-default') as any;
  gd.metadata.annotations[AUTOUPDATE_SPEC_ANNOTATION] = 'false';
  gd.spec.limited.nominalConcurrencyShares = 7;
  await client.resource(PL).update(gd);
  const exempt = await client.resource(FS).get('exempt') as any;
  exempt.metadata.annotations[AUTOUPDATE_SPEC_ANNOTATION] = 'false';
  exempt.spec.matchingPrecedence = 3;
  await client.resource(FS).update(exempt);
  const sys = await client.resource(PL).get('system') as any;
  sys.spec.limited.nominalConcurrencyShares = 1;
  await client.resource(PL).update(sys);

  const report = await ensureFlowControlBootstrap(client);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.updated.sort(), ['FlowSchema exempt', 'PriorityLevelConfiguration system']);
  assert.equal((await client.resource(PL).get('global-default') as any).spec.limited.nominalConcurrencyShares, 7);
  const e = await client.resource(FS).get('exempt') as any;
  assert.equal(e.spec.matchingPrecedence, 1);
  assert.equal(e.metadata.annotations[AUTOUPDATE_SPEC_ANNOTATION], 'true');
  // "true" on an edited suggested object: its spec comes back.
  assert.equal((await client.resource(PL).get('system') as any).spec.limited.nominalConcurrencyShares, 30);
});

test('objects annotated "true" that are no longer suggested are deleted; users\' own are kept', async () => {
  const fs = (name: string, annotations?: Record<string, string>) => ({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name, annotations }, spec: { priorityLevelConfiguration: { name: 'global-default' }, matchingPrecedence: 5000 } });
  await client.resource(FS).create(fs('retired', { [AUTOUPDATE_SPEC_ANNOTATION]: 'true' }));
  await client.resource(FS).create(fs('mine'));
  await client.resource(FS).create(fs('mine-pinned', { [AUTOUPDATE_SPEC_ANNOTATION]: 'false' }));
  const report = await ensureFlowControlBootstrap(client);
  assert.deepEqual(report.errors, []);
  assert.deepEqual(report.deleted, ['FlowSchema retired']);
  const names = (await client.resource(FS).list()).items.map((o) => o.metadata.name);
  assert.ok(names.includes('mine') && names.includes('mine-pinned') && !names.includes('retired'));
});

test('without the annotation only an unchanged object (generation 1) is kept up to date', () => {
  assert.equal(autoUpdatesSpec({ metadata: { generation: 1 } }), true);
  assert.equal(autoUpdatesSpec({ metadata: { generation: 2 } }), false);
  assert.equal(autoUpdatesSpec({ metadata: { generation: 2, annotations: { [AUTOUPDATE_SPEC_ANNOTATION]: 'true' } } }), true);
  assert.equal(autoUpdatesSpec({ metadata: { generation: 1, annotations: { [AUTOUPDATE_SPEC_ANNOTATION]: 'no' } } }), true);
});
