import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { ResourceTable, parseApiVersion } from './resource-table.js';
import { builtinResources } from './builtin-resources.js';
import type { ResourceDefinition } from './resource-definition.js';

/** A CRD-like kind added at run time. */
export const widgetDefinition: ResourceDefinition = {
  info: { group: 'example.com', version: 'v1', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  schema: Type.Object({}),
  applyDefaults() {},
  validate: () => [],
};

it('built-in definitions are consistent: unique resources and kinds, list kinds, protobuf messages of stored kinds', () => {
  const table = new ResourceTable(builtinResources());
  for (const d of table.all()) {
    assert.equal(d.info.listKind, `${d.info.kind}List`, d.info.kind);
    assert.equal(table.byKind(d.info.group ? `${d.info.group}/${d.info.version}` : d.info.version, d.info.kind), d);
    // metrics.k8s.io is JSON only (metrics-server's messages are not in the wire contract).
    if (d.info.group !== 'metrics.k8s.io') assert.ok(d.protobufMessage?.endsWith(`.${d.info.version}.${d.info.kind}`), `${d.info.kind} names its protobuf message`);
  }
  assert.ok(table.served().every((d) => d.serving !== 'request'));
  assert.equal(table.byResource('', 'bindings')?.serving, 'request');
  assert.deepEqual(table.printerOf('', 'pods').columns.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
  assert.deepEqual(table.printerOf('example.com', 'widgets').columns.map((c) => c.name), ['Name', 'Age']);
});

it('kinds are added and removed at run time; listeners hear each change; duplicates are refused', () => {
  const table = new ResourceTable(builtinResources());
  let changes = 0;
  const off = table.onChange(() => { changes++; });
  table.add(widgetDefinition);
  assert.equal(table.get('example.com', 'v1', 'widgets'), widgetDefinition);
  assert.equal(table.byKind('example.com/v1', 'Widget'), widgetDefinition);
  assert.throws(() => table.add(widgetDefinition), /already served/);
  assert.throws(() => table.add({ ...builtinResources()[1] }), /resource pods.core\/v1 is already served/);
  assert.equal(table.remove('example.com', 'v1', 'widgets'), true);
  assert.equal(table.remove('example.com', 'v1', 'widgets'), false);
  assert.equal(table.byKind('example.com/v1', 'Widget'), undefined);
  off();
  table.add(widgetDefinition);
  assert.equal(changes, 2);
});

it('parseApiVersion splits group and version', () => {
  assert.deepEqual(parseApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
  assert.deepEqual(parseApiVersion('v1'), { group: '', version: 'v1' });
});

it('a version served over another\'s storage is listed in served() but stored() holds each stored resource once', () => {
  const table = new ResourceTable(builtinResources());
  const events = table.get('events.k8s.io', 'v1', 'events')!;
  const hpaV1 = table.get('autoscaling', 'v1', 'horizontalpodautoscalers')!;
  assert.equal(events.storageVersion?.definition, table.get('', 'v1', 'events'));
  assert.equal(hpaV1.storageVersion?.definition, table.get('autoscaling', 'v2', 'horizontalpodautoscalers'));
  assert.ok(table.served().includes(events) && table.served().includes(hpaV1));
  assert.ok(!table.stored().includes(events) && !table.stored().includes(hpaV1));
  // Every storage version a view names is itself stored (so the garbage collector and namespace deletion see its objects).
  for (const d of table.all()) if (d.storageVersion) assert.ok(table.stored().includes(d.storageVersion.definition), d.info.kind);
  // The preferred (first) version of autoscaling stays v2.
  assert.equal(table.byResource('autoscaling', 'horizontalpodautoscalers')?.info.version, 'v2');
  assert.deepEqual(table.printerOf('events.k8s.io', 'events', 'v1').columns.map((c) => c.name), table.printerOf('', 'events', 'v1').columns.map((c) => c.name));
});
