/** core/v1 Event: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import type { ResourceDefinition } from '../../resource-definition.js';
import { eventPrinter } from '../../printers/printers.js';
import { invalidValue, notSupported } from '../../../machinery/field-errors.js';
import { validateObjectMeta } from '../../meta/v1/validate-object-meta.js';
import { core } from './core-helpers.js';
import { EventSchema, type Event } from './types.js';

export const eventDefinition: ResourceDefinition<Event> = {
  info: core({ kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'] }),
  schema: EventSchema,
  protobufMessage: 'k8s.io.api.core.v1.Event',
  printer: eventPrinter,
  applyDefaults() {},
  validate(ev) {
    const errs = validateObjectMeta(ev.metadata, true, () => []);
    if (ev.involvedObject?.namespace && ev.metadata.namespace && ev.involvedObject.namespace !== ev.metadata.namespace) errs.push(invalidValue('involvedObject.namespace', ev.involvedObject.namespace, 'does not match event.namespace'));
    if (ev.type && !['Normal', 'Warning'].includes(ev.type)) errs.push(notSupported('type', ev.type, ['Normal', 'Warning']));
    return errs;
  },
  fieldLabels(ev) {
    const o = ev.involvedObject ?? {};
    return {
      'involvedObject.kind': o.kind ?? '', 'involvedObject.namespace': o.namespace ?? '', 'involvedObject.name': o.name ?? '',
      'involvedObject.uid': o.uid ?? '', 'involvedObject.apiVersion': o.apiVersion ?? '', 'involvedObject.resourceVersion': o.resourceVersion ?? '',
      'involvedObject.fieldPath': o.fieldPath ?? '', reason: ev.reason ?? '', reportingComponent: ev.reportingComponent ?? '',
      source: ev.source?.component ?? '', type: ev.type ?? '',
    };
  },
};
