/** core/v1 Service: discovery info, defaults (core/v1/defaults.go) and validation (core/validation/validation.go). */
import { untyped, type ResourceDefinition } from '../../resource-definition.js';
import { servicePrinter } from '../../printers/printers.js';
import { allocateServiceAddresses, serviceOwner } from './service-allocation.js';
import { type FieldError, invalidValue, notSupported, required, forbiddenField } from '../../../machinery/field-errors.js';
import { isDNS1035Label } from '../../../machinery/validation.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { core } from './core-helpers.js';
import { ServiceSchema, type Service } from './types.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const usesNodePorts = (s: Service['spec']): boolean => s?.type === 'NodePort' || s?.type === 'LoadBalancer';

/**
 * On a type change, fields the new type does not use are cleared when the request kept
 * the old values (upstream pkg/registry/core/service/storage dropTypeDependentFields):
 * nodePorts and externalTrafficPolicy leaving NodePort/LoadBalancer, the cluster IPs
 * becoming ExternalName, loadBalancer-only fields leaving LoadBalancer.
 */
function dropTypeDependentFields(svc: Service, prev: Service): void {
  const s = svc.spec!;
  const o = prev.spec ?? {};
  if (s.type === o.type) return;
  if (usesNodePorts(o) && !usesNodePorts(s)) {
    for (const p of s.ports ?? []) {
      const old = (o.ports ?? []).find((q) => (q.name ?? '') === (p.name ?? '') && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (p.nodePort && old?.nodePort === p.nodePort) delete p.nodePort;
    }
    if (s.externalTrafficPolicy === o.externalTrafficPolicy) delete s.externalTrafficPolicy;
    if (s.healthCheckNodePort === o.healthCheckNodePort) delete s.healthCheckNodePort;
  }
  if (o.type === 'LoadBalancer' && s.type !== 'LoadBalancer') {
    if (s.allocateLoadBalancerNodePorts === o.allocateLoadBalancerNodePorts) delete s.allocateLoadBalancerNodePorts;
    if (s.loadBalancerClass === o.loadBalancerClass) delete s.loadBalancerClass;
  }
  if (s.type === 'ExternalName') {
    if (s.clusterIP === o.clusterIP) delete s.clusterIP;
    if (JSON.stringify(s.clusterIPs) === JSON.stringify(o.clusterIPs)) delete s.clusterIPs;
    delete s.ipFamilies; delete s.ipFamilyPolicy;
  }
}

/** Whether an updated Service lacks an address its type needs (a ClusterIP, or nodePorts). */
function needsAllocation(svc: Service): boolean {
  const s = svc.spec ?? {};
  if (s.type !== 'ExternalName' && !s.clusterIP) return true;
  return (s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false)) && (s.ports ?? []).some((p) => !p.nodePort);
}

/**
 * Service: defaults, validation, and the strategy of pkg/registry/core/service — status
 * reset on create, the ClusterIP kept across updates, allocation on create
 * (service-ip-allocation.ts).
 */
export const serviceDefinition: ResourceDefinition<Service> = {
  info: core({ kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], subresources: ['proxy', 'status'] }),
  schema: ServiceSchema,
  protobufMessage: 'k8s.io.api.core.v1.Service',
  printer: servicePrinter,
  strategy: {
    prepareForCreate(svc) { svc.status = { loadBalancer: {} }; },
    prepareForUpdate(svc, prev) {
      svc.status = prev.status;
      svc.spec ??= {};
      if (!svc.spec.clusterIP && prev.spec?.clusterIP) { svc.spec.clusterIP = prev.spec.clusterIP; svc.spec.clusterIPs = prev.spec.clusterIPs; }
      svc.spec.ipFamilies ??= prev.spec?.ipFamilies;
      svc.spec.ipFamilyPolicy ??= prev.spec?.ipFamilyPolicy;
      dropTypeDependentFields(svc, prev);
    },
    beforeCreate: (svc, deps) => allocateServiceAddresses(svc, deps.serviceCIDR, async () => (await deps.listAll(untyped(serviceDefinition))) as Service[], deps.allocations),
    afterCreate: (svc, deps) => deps.allocations.release(serviceOwner(svc)),
    // A type change may need nodePorts or a ClusterIP the Service did not have.
    beforeUpdate: (svc, prev, deps) => (needsAllocation(svc) ? allocateServiceAddresses(svc, deps.serviceCIDR,
      async () => ((await deps.listAll(untyped(serviceDefinition))) as Service[]).filter((s) => s.metadata.uid !== prev.metadata.uid), deps.allocations) : undefined),
    afterUpdate: (svc, deps) => deps.allocations.release(serviceOwner(svc)),
  },
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
    const errs: FieldError[] = validateObjectMeta(svc.metadata, true, isDNS1035Label);
    const s = svc.spec ?? {};
    if (s.type && !SERVICE_TYPES.includes(s.type)) errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
    if (s.type !== 'ExternalName' && (!s.ports || s.ports.length === 0) && s.clusterIP !== 'None') errs.push(required('spec.ports'));
    if (s.type === 'ExternalName' && !s.externalName) errs.push(required('spec.externalName'));
    const names = new Set<string>();
    (s.ports ?? []).forEach((p, i) => {
      if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errs.push(invalidValue(`spec.ports[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
      if ((s.ports?.length ?? 0) > 1 && !p.name) errs.push(required(`spec.ports[${i}].name`));
      if (p.name) { if (names.has(p.name)) errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].name`, badValue: p.name }); names.add(p.name); }
      if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(notSupported(`spec.ports[${i}].protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
      if (p.nodePort) {
        if (s.type !== 'NodePort' && s.type !== 'LoadBalancer') errs.push(forbiddenField(`spec.ports[${i}].nodePort`, `may not be used when \`type\` is '${s.type ?? 'ClusterIP'}'`));
        else if (p.nodePort < 30000 || p.nodePort > 32767) errs.push(invalidValue(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
      }
    });
    return errs;
  },
  validateUpdate(svc, old) {
    const errs = [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...serviceDefinition.validate(svc)];
    if (old.spec?.clusterIP && svc.spec?.clusterIP !== undefined && svc.spec.clusterIP !== '' && svc.spec.clusterIP !== old.spec.clusterIP) errs.push(invalidValue('spec.clusterIPs[0]', svc.spec.clusterIP, 'may not change once set'));
    return errs;
  },
};
