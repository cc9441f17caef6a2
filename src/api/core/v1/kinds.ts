/**
 * core/v1 kinds other than Pod: Namespace, Node, Service, Endpoints, ConfigMap, Secret,
 * ServiceAccount, Event, Binding — their discovery info, defaults (core/v1/defaults.go)
 * and validation (core/validation/validation.go).
 */
import type { KindDefinition, ResourceInfo } from '../../resource-info.js';
import { type FieldError, invalidValue, notSupported, required } from '../../../machinery/field-errors.js';
import { isConfigMapKey, isDNS1123Label } from '../../../machinery/validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import {
  BindingSchema, ComponentStatusSchema, ConfigMapSchema, EndpointsSchema, EventSchema, NamespaceSchema, NodeSchema, SecretSchema, ServiceAccountSchema, ServiceSchema,
  type Binding, type ComponentStatus, type ConfigMap, type Endpoints, type Event, type Namespace, type Node, type Secret, type Service, type ServiceAccount,
} from './types.js';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const core = (i: Omit<ResourceInfo, 'group' | 'version' | 'verbs' | 'listKind'> & { verbs?: string[] }): ResourceInfo =>
  ({ group: '', version: 'v1', verbs: ALL_VERBS, listKind: `${i.kind}List`, ...i });

const metaOnly = (namespaced: boolean, nameRule?: (n: string) => string[]) => ({
  validate: (o: { metadata: Record<string, unknown> }) => validateObjectMeta(o.metadata, namespaced, nameRule),
  validateUpdate: (o: { metadata: Record<string, unknown> }, old: { metadata: Record<string, unknown> }) => validateObjectMetaUpdate(o.metadata, old.metadata),
});

export const namespaceDefinition: KindDefinition<Namespace> = {
  info: core({ kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['status', 'finalize'] }),
  schema: NamespaceSchema,
  applyDefaults(ns) {
    ns.spec ??= {};
    ns.spec.finalizers ??= ['kubernetes'];
    ns.status ??= {};
    ns.status.phase ??= 'Active';
  },
  ...metaOnly(false, isDNS1123Label),
  fieldLabels: (ns) => ({ 'status.phase': ns.status?.phase ?? '' }),
};

export const nodeDefinition: KindDefinition<Node> = {
  info: core({ kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  schema: NodeSchema,
  applyDefaults(node) { node.spec ??= {}; },
  ...metaOnly(false),
  fieldLabels: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable ?? false) }),
};

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
export const serviceDefinition: KindDefinition<Service> = {
  info: core({ kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['status'] }),
  schema: ServiceSchema,
  applyDefaults(svc) {
    svc.spec ??= {};
    const s = svc.spec;
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    if (s.type !== 'ExternalName') s.internalTrafficPolicy ??= 'Cluster';
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
    if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
    for (const p of s.ports ?? []) { p.protocol ??= 'TCP'; p.targetPort ??= p.port; }
    svc.status ??= { loadBalancer: {} };
  },
  validate(svc) {
    const errs: FieldError[] = validateObjectMeta(svc.metadata, true, isDNS1123Label);
    const s = svc.spec ?? {};
    if (s.type && !SERVICE_TYPES.includes(s.type)) errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
    if (s.type !== 'ExternalName' && (!s.ports || s.ports.length === 0) && s.clusterIP !== 'None') errs.push(required('spec.ports'));
    const names = new Set<string>();
    (s.ports ?? []).forEach((p, i) => {
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errs.push(invalidValue(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      if ((s.ports?.length ?? 0) > 1 && !p.name) errs.push(required(`spec.ports[${i}].name`));
      if (p.name) { if (names.has(p.name)) errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].name`, badValue: p.name }); names.add(p.name); }
      if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(notSupported(`spec.ports[${i}].protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    });
    return errs;
  },
  validateUpdate(svc, old) {
    const errs = [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...serviceDefinition.validate(svc)];
    if (old.spec?.clusterIP && svc.spec?.clusterIP !== undefined && svc.spec.clusterIP !== '' && svc.spec.clusterIP !== old.spec.clusterIP) errs.push(invalidValue('spec.clusterIPs[0]', svc.spec.clusterIP, 'may not change once set'));
    return errs;
  },
};

export const endpointsDefinition: KindDefinition<Endpoints> = {
  info: core({ kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] }),
  schema: EndpointsSchema, applyDefaults() {}, ...metaOnly(true),
};

function validateKeys(data: Record<string, unknown> | undefined, field: string): FieldError[] {
  return Object.keys(data ?? {}).flatMap((k) => isConfigMapKey(k).map((m) => invalidValue(`${field}[${k}]`, k, m)));
}

export const configMapDefinition: KindDefinition<ConfigMap> = {
  info: core({ kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'] }),
  schema: ConfigMapSchema,
  applyDefaults() {},
  validate: (cm) => [...validateObjectMeta(cm.metadata, true), ...validateKeys(cm.data, 'data'), ...validateKeys(cm.binaryData, 'binaryData')],
  validateUpdate(cm, old) {
    const errs = [...validateObjectMetaUpdate(cm.metadata, old.metadata), ...configMapDefinition.validate(cm)];
    if (old.immutable && JSON.stringify([cm.data, cm.binaryData]) !== JSON.stringify([old.data, old.binaryData])) errs.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
    return errs;
  },
};

export const secretDefinition: KindDefinition<Secret> = {
  info: core({ kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true }),
  schema: SecretSchema,
  applyDefaults(secret) {
    secret.type ??= 'Opaque';
    if (secret.stringData) {
      secret.data ??= {};
      for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(v).toString('base64');
      delete secret.stringData;
    }
  },
  validate(secret) {
    const errs = [...validateObjectMeta(secret.metadata, true), ...validateKeys(secret.data, 'data')];
    for (const [k, v] of Object.entries(secret.data ?? {})) {
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) errs.push(invalidValue(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    }
    return errs;
  },
  validateUpdate(secret, old) {
    const errs = [...validateObjectMetaUpdate(secret.metadata, old.metadata), ...secretDefinition.validate(secret)];
    if (old.type && secret.type !== old.type) errs.push(invalidValue('type', secret.type, 'field is immutable'));
    return errs;
  },
  fieldLabels: (s) => ({ type: s.type ?? '' }),
};

export const serviceAccountDefinition: KindDefinition<ServiceAccount> = {
  info: core({ kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'] }),
  schema: ServiceAccountSchema, applyDefaults() {}, ...metaOnly(true),
};

export const eventDefinition: KindDefinition<Event> = {
  info: core({ kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'] }),
  schema: EventSchema,
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

/** ComponentStatus (deprecated in v1.19+, still served): computed on read, never stored. */
export const componentStatusDefinition: KindDefinition<ComponentStatus> = {
  info: core({ kind: 'ComponentStatus', plural: 'componentstatuses', singular: 'componentstatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] }),
  schema: ComponentStatusSchema,
  applyDefaults() {},
  validate: () => [],
};

/** Binding is not a stored resource; it is the body of POST pods/{name}/binding. */
export const bindingDefinition: KindDefinition<Binding> = {
  info: core({ kind: 'Binding', plural: 'bindings', singular: 'binding', namespaced: true, verbs: ['create'] }),
  schema: BindingSchema,
  applyDefaults() {},
  validate(b) {
    const errs: FieldError[] = [];
    if (!b.target?.name) errs.push(required('target.name'));
    if (b.target?.kind && b.target.kind !== 'Node') errs.push(notSupported('target.kind', b.target.kind, ['Node']));
    return errs;
  },
};
