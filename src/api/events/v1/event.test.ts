import { it } from 'node:test';
import assert from 'node:assert/strict';
import { coreEventToV1, eventV1Definition, eventV1ToCore, validateEventV1Create, validateEventV1Update, type EventV1 } from './event.js';
import type { Event } from '../../core/v1/types.js';
import { formatFieldErrors } from '../../../machinery/field-errors.js';

const ref = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name, uid: 'u-' + name, resourceVersion: '7', fieldPath: 'spec.containers{c}' });
/** A core/v1 Event with every field set. */
const core: Event = {
  apiVersion: 'v1', kind: 'Event',
  metadata: { name: 'web.1', namespace: 'ns', uid: 'u', resourceVersion: '12', creationTimestamp: '2026-11-30T10:00:00Z', labels: { a: 'b' } },
  involvedObject: ref('web'), reason: 'Started', message: 'Started container c', source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2026-11-30T10:00:00Z', lastTimestamp: '2026-11-30T10:05:00Z', count: 3, type: 'Normal',
  eventTime: '2026-11-30T10:00:00.123456Z', series: { count: 3, lastObservedTime: '2026-11-30T10:05:00.000001Z' }, action: 'Start',
  related: ref('other'), reportingComponent: 'kubelet', reportingInstance: 'kubelet-node-1',
};
const v1: EventV1 = {
  apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: core.metadata,
  regarding: ref('web'), reason: 'Started', note: 'Started container c', deprecatedSource: { component: 'kubelet', host: 'node-1' },
  deprecatedFirstTimestamp: '2026-11-30T10:00:00Z', deprecatedLastTimestamp: '2026-11-30T10:05:00Z', deprecatedCount: 3, type: 'Normal',
  eventTime: '2026-11-30T10:00:00.123456Z', series: { count: 3, lastObservedTime: '2026-11-30T10:05:00.000001Z' }, action: 'Start',
  related: ref('other'), reportingController: 'kubelet', reportingInstance: 'kubelet-node-1',
};

it('events.k8s.io/v1 ↔ core/v1 Event: every field maps as upstream, both ways, without loss', () => {
  assert.deepEqual(coreEventToV1(core), v1);
  assert.deepEqual(eventV1ToCore(v1), core);
  assert.deepEqual(eventV1ToCore(coreEventToV1(core)), core);
  assert.deepEqual(coreEventToV1(eventV1ToCore(v1)), v1);
  // Absent fields stay absent; inputs are not changed.
  const bare = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'x' } } as Event;
  assert.deepEqual(coreEventToV1(bare), { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' } });
  assert.equal(bare.apiVersion, 'v1');
  assert.equal(eventV1Definition.storageVersion?.definition.info.plural, 'events');
  assert.equal(eventV1Definition.storageVersion?.definition.info.group, '');
});

it('events.k8s.io/v1 validation: the strict create rules, with upstream field paths', () => {
  const fresh: EventV1 = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.2', namespace: 'ns' }, eventTime: '2026-11-30T10:00:00.000000Z', regarding: ref('web'), reason: 'Started', note: 'n', type: 'Normal', action: 'Start', reportingController: 'k8ts.io/kubelet', reportingInstance: 'node-1' };
  assert.deepEqual(validateEventV1Create(fresh), []);
  const msg = (e: EventV1) => formatFieldErrors(validateEventV1Create(e));
  const { eventTime: _t, ...noTime } = fresh;
  assert.match(msg(noTime as EventV1), /eventTime: Required value/);
  assert.match(msg({ ...fresh, type: 'Odd' }), /type: Invalid value: "": has invalid value: Odd/);
  assert.match(msg({ ...fresh, deprecatedCount: 2, deprecatedFirstTimestamp: '2026-11-30T10:00:00Z', deprecatedSource: { component: 'x' } }), /deprecatedFirstTimestamp: Invalid value: "": needs to be unset.*deprecatedCount: Invalid value: "": needs to be unset.*deprecatedSource: Invalid value: "": needs to be unset/);
  assert.match(msg({ ...fresh, reportingController: '', reportingInstance: '', action: '' }), /reportingController: Required value.*reportingInstance: Required value.*action: Required value/);
  assert.match(msg({ ...fresh, series: { count: 1 } }), /series\.count: Invalid value: "": should be at least 2.*series\.lastObservedTime: Required value/);
  assert.match(msg({ ...fresh, regarding: { ...ref('web'), namespace: '' }, metadata: { name: 'web.2', namespace: 'ns' } }), /involvedObject\.namespace: Invalid value: "": does not match event\.namespace/);
  assert.match(msg({ ...fresh, note: 'x'.repeat(1025) }), /message: Invalid value: "": can have at most 1024 characters/);
  assert.match(msg({ ...fresh, metadata: { name: 'Web_2', namespace: 'ns' } }), /metadata\.name: Invalid value: "Web_2"/);
});

it('events.k8s.io/v1 update: only series (and metadata) may change; eventTime compared to the microsecond', () => {
  const old: EventV1 = { ...v1, deprecatedSource: undefined, deprecatedCount: undefined, deprecatedFirstTimestamp: undefined, deprecatedLastTimestamp: undefined };
  assert.deepEqual(validateEventV1Update({ ...old, series: { count: 4, lastObservedTime: '2026-11-30T10:06:00.000000Z' }, eventTime: '2026-11-30T10:00:00.1234569Z' }, old), []);
  const errs = formatFieldErrors(validateEventV1Update({ ...old, note: 'changed', reportingController: 'other', eventTime: '2026-11-30T10:00:01Z' }, old));
  assert.match(errs, /message: Invalid value: "changed": field is immutable/);
  assert.match(errs, /eventTime: Invalid value: .*field is immutable/);
  assert.match(errs, /reportingController: Invalid value: "other": field is immutable/);
});

it('events.k8s.io/v1 field selectors are that version\'s labels; the printer is the core Event\'s', () => {
  const f = eventV1Definition.fieldLabels!(v1);
  assert.equal(f['regarding.name'], 'web');
  assert.equal(f.reportingController, 'kubelet');
  assert.equal(f.source, 'kubelet');
  assert.equal(f['involvedObject.name'], undefined);
  const cells = eventV1Definition.printer!.cells(v1, Date.parse('2026-11-30T10:10:00Z'));
  // The series' last observation and count (upstream printEvent).
  assert.deepEqual(cells, ['5m', 'Normal', 'Started', 'pod/web', 'spec.containers{c}', 'kubelet, node-1', 'Started container c', '10m', 3, 'web.1']);
  const { deprecatedSource: _s, series: _r, ...fresh } = v1;
  assert.deepEqual(eventV1Definition.printer!.cells(fresh as EventV1, Date.parse('2026-11-30T10:10:00Z')).slice(4, 9), ['spec.containers{c}', 'kubelet, kubelet-node-1', 'Started container c', '10m', 3]);
});
