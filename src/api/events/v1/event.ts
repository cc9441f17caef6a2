/**
 * events.k8s.io/v1 Event: a second version of the core/v1 Event resource, stored as
 * core/v1 Events (`/registry/events/<ns>/<name>`), so an event written through either
 * API is read through both. Conversion is upstream's pkg/apis/events/v1/conversion.go
 * (regarding ↔ involvedObject, note ↔ message, reportingController ↔
 * reportingComponent, deprecatedSource/FirstTimestamp/LastTimestamp/Count ↔
 * source/firstTimestamp/lastTimestamp/count; the other fields have the same names);
 * validation is pkg/apis/core/validation/events.go for a request of events.k8s.io/v1
 * (run on the core shape, hence its field paths), field selectors are that version's
 * field label conversion, and the printer is the core Event's.
 */
import type { KubeObject } from '../../object.js';
import type { ResourceDefinition } from '../../resource-definition.js';
import { ALL_VERBS } from '../../define-resource.js';
import { structuralSchema } from '../../structural/structural-schema.js';
import { eventDefinition } from '../../core/v1/event.js';
import type { Event as CoreEvent, ObjectReference } from '../../core/v1/types.js';
import { eventPrinter } from '../../printers/printers.js';
import { printConverted } from '../../printers/converted.js';
import { type FieldError, invalidValue, required } from '../../../machinery/field-errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { isDNS1123Subdomain, isQualifiedName } from '../../../machinery/validation.js';
import { stableJson } from '../../../machinery/stable-json.js';

/** events.k8s.io/v1 Event. */
export interface EventV1 extends KubeObject {
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  reportingController?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  regarding?: ObjectReference;
  related?: ObjectReference;
  note?: string;
  type?: string;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

/** Renamed fields: events.k8s.io/v1 name → core/v1 name. The rest keep their names. */
const RENAMED = {
  regarding: 'involvedObject', note: 'message', reportingController: 'reportingComponent', deprecatedSource: 'source',
  deprecatedFirstTimestamp: 'firstTimestamp', deprecatedLastTimestamp: 'lastTimestamp', deprecatedCount: 'count',
} as const;
const TO_V1 = Object.fromEntries(Object.entries(RENAMED).map(([a, b]) => [b, a])) as Record<string, string>;

/**
 * A new object with `obj`'s top-level keys renamed by `names`; apiVersion and kind become
 * the target's. Nested values are shared with `obj` (as upstream's unsafe conversions
 * share memory), except that a frozen `obj` or metadata (a watch-cache object, or a
 * shallow copy of one) is deep-copied first so the result can be changed.
 */
function renamed(obj: KubeObject, names: Record<string, string>, apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = { apiVersion, kind: 'Event' };
  // A JSON round trip is the cheapest deep copy of a plain API object.
  const src = (Object.isFrozen(obj) || Object.isFrozen(obj.metadata) ? JSON.parse(JSON.stringify(obj)) : obj) as Record<string, unknown>;
  for (const k in src) {
    if (k === 'apiVersion' || k === 'kind') continue;
    out[names[k] ?? k] = src[k];
  }
  return out;
}

/** events.k8s.io/v1 → core/v1 (Convert_v1_Event_To_core_Event, then core to v1). */
export const eventV1ToCore = (ev: EventV1): CoreEvent => renamed(ev, RENAMED, 'v1') as CoreEvent;
/** core/v1 → events.k8s.io/v1. */
export const coreEventToV1 = (ev: CoreEvent): EventV1 => renamed(ev, TO_V1, 'events.k8s.io/v1') as EventV1;

const zero = (t: unknown): boolean => t === undefined || t === null || t === '';
const LIMIT = { reportingInstance: 128, action: 128, reason: 128, note: 1024 };

/** legacyValidateEvent for requests of events.k8s.io/v1 (checks on the core shape). */
function legacyValidate(ev: CoreEvent): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const ioNs = ev.involvedObject?.namespace ?? '';
  if (zero(ev.eventTime)) {
    if (!ioNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalidValue('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    } else if (ns !== ioNs) errs.push(invalidValue('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  } else {
    if (!ioNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalidValue('involvedObject.namespace', ioNs, 'does not match event.namespace'));
    const rc = ev.reportingComponent ?? '';
    if (!rc) errs.push(required('reportingController'));
    for (const msg of isQualifiedName(rc)) errs.push(invalidValue('reportingController', rc, msg));
    if (!ev.reportingInstance) errs.push(required('reportingInstance'));
    if ((ev.reportingInstance ?? '').length > LIMIT.reportingInstance) errs.push(invalidValue('reportingInstance', '', `can have at most ${LIMIT.reportingInstance} characters`));
    if (!ev.action) errs.push(required('action'));
    if ((ev.action ?? '').length > LIMIT.action) errs.push(invalidValue('action', '', `can have at most ${LIMIT.action} characters`));
    if (!ev.reason) errs.push(required('reason'));
    if ((ev.reason ?? '').length > LIMIT.reason) errs.push(invalidValue('reason', '', `can have at most ${LIMIT.reason} characters`));
    if ((ev.message ?? '').length > LIMIT.note) errs.push(invalidValue('message', '', `can have at most ${LIMIT.note} characters`));
  }
  for (const msg of isDNS1123Subdomain(ns)) errs.push(invalidValue('namespace', ns, msg));
  return errs;
}

/** validateV1EventSeries. */
function validateSeries(ev: CoreEvent): FieldError[] {
  const s = ev.series as { count?: number; lastObservedTime?: string } | undefined | null;
  if (!s) return [];
  const errs: FieldError[] = [];
  if ((s.count ?? 0) < 2) errs.push(invalidValue('series.count', '', 'should be at least 2'));
  if (zero(s.lastObservedTime)) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate with requestVersion events.k8s.io/v1. */
export function validateEventV1Create(v1: EventV1): FieldError[] {
  const ev = eventV1ToCore(v1);
  const errs = [...legacyValidate(ev), ...validateObjectMeta(ev.metadata, true), ...validateSeries(ev)];
  if (zero(ev.eventTime)) errs.push(required('eventTime'));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errs.push(invalidValue('type', '', `has invalid value: ${ev.type ?? ''}`));
  if (!zero(ev.firstTimestamp)) errs.push(invalidValue('deprecatedFirstTimestamp', '', 'needs to be unset'));
  if (!zero(ev.lastTimestamp)) errs.push(invalidValue('deprecatedLastTimestamp', '', 'needs to be unset'));
  if (ev.count) errs.push(invalidValue('deprecatedCount', '', 'needs to be unset'));
  if (ev.source?.component || ev.source?.host) errs.push(invalidValue('deprecatedSource', '', 'needs to be unset'));
  return errs;
}

/** Microsecond-precision instant of a MicroTime ('' when unset). */
const micros = (t: unknown): string => {
  if (zero(t)) return '';
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(String(t));
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}${m[3]}` : String(t);
};

/** ValidateEventUpdate with requestVersion events.k8s.io/v1. */
export function validateEventV1Update(v1: EventV1, oldV1: EventV1): FieldError[] {
  const ev = eventV1ToCore(v1);
  const old = eventV1ToCore(oldV1);
  const errs = [...legacyValidate(ev), ...validateObjectMetaUpdate(ev.metadata, old.metadata)];
  if (stableJson(ev.series ?? null) !== stableJson(old.series ?? null)) errs.push(...validateSeries(ev));
  const same = (a: unknown, b: unknown): boolean => stableJson(a ?? null) === stableJson(b ?? null);
  const immutable = (field: keyof CoreEvent): void => {
    if (!same(ev[field], old[field])) errs.push(invalidValue(String(field), ev[field] ?? '', 'field is immutable'));
  };
  for (const f of ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type'] as const) immutable(f);
  if (micros(ev.eventTime) !== micros(old.eventTime)) errs.push(invalidValue('eventTime', ev.eventTime ?? '', 'field is immutable'));
  for (const f of ['action', 'related'] as const) immutable(f);
  if ((ev.reportingComponent ?? '') !== (old.reportingComponent ?? '')) errs.push(invalidValue('reportingController', ev.reportingComponent ?? '', 'field is immutable'));
  if ((ev.reportingInstance ?? '') !== (old.reportingInstance ?? '')) errs.push(invalidValue('reportingInstance', ev.reportingInstance ?? '', 'field is immutable'));
  return errs;
}

const PROTOBUF = 'k8s.io.api.events.v1.Event';

export const eventV1Definition: ResourceDefinition<EventV1> = {
  info: { group: 'events.k8s.io', version: 'v1', kind: 'Event', listKind: 'EventList', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], verbs: ALL_VERBS },
  schema: structuralSchema(PROTOBUF),
  protobufMessage: PROTOBUF,
  printer: printConverted(eventPrinter, eventV1ToCore),
  applyDefaults() {},
  validate: validateEventV1Create,
  validateUpdate: validateEventV1Update,
  // AddFieldLabelConversionsForEvent of events.k8s.io/v1.
  fieldLabels(ev) {
    const r = ev.regarding ?? {};
    return {
      'regarding.kind': r.kind ?? '', 'regarding.namespace': r.namespace ?? '', 'regarding.name': r.name ?? '', 'regarding.uid': r.uid ?? '',
      'regarding.apiVersion': r.apiVersion ?? '', 'regarding.resourceVersion': r.resourceVersion ?? '', 'regarding.fieldPath': r.fieldPath ?? '',
      reason: ev.reason ?? '', reportingController: ev.reportingController ?? '', source: ev.deprecatedSource?.component ?? '', type: ev.type ?? '',
    };
  },
  storageVersion: { definition: eventDefinition, toStorage: eventV1ToCore, fromStorage: coreEventToV1 },
};
