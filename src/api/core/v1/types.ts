/**
 * core/v1 schemas other than Pod (API reference "Node v1 core", "Namespace", "Service",
 * "Endpoints", "ConfigMap", "Secret", "ServiceAccount", "Event", "Binding").
 */
import { Type, type Static, type TOptional, type TSchema } from '@sinclair/typebox';
import { Any, AtomicList, Bool, Int, IntOrString, MergeList, Obj, Quantity, Str, StringMap, Time } from '../../schema.js';
import { ConditionSchema, ObjectMetaSchema } from '../../meta/v1/types.js';

/** A top-level object schema: TypeMeta + ObjectMeta + the given fields. */
export function KindObject<P extends Record<string, TSchema>>(fields: P) {
  return Type.Object({
    apiVersion: Type.Optional(Str()), kind: Type.Optional(Str()), metadata: ObjectMetaSchema,
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof P]: TOptional<P[K]> },
  }, { additionalProperties: true });
}

export const NamespaceSchema = KindObject({ spec: Obj({ finalizers: AtomicList(Str()) }), status: Obj({ phase: Str(), conditions: AtomicList(ConditionSchema) }) });

const NodeAddress = Type.Object({ type: Str(), address: Str() }, { additionalProperties: true });
export const TaintSchema = Type.Object({ key: Str(), value: Type.Optional(Str()), effect: Str(), timeAdded: Type.Optional(Time()) }, { additionalProperties: true });
export const NodeSchema = KindObject({
  spec: Obj({ podCIDR: Str(), podCIDRs: AtomicList(Str()), providerID: Str(), unschedulable: Bool(), taints: AtomicList(TaintSchema) }),
  status: Obj({
    capacity: Type.Record(Type.String(), Quantity()), allocatable: Type.Record(Type.String(), Quantity()),
    phase: Str(), conditions: MergeList(ConditionSchema, 'type'), addresses: MergeList(NodeAddress, 'type'),
    daemonEndpoints: Obj({ kubeletEndpoint: Obj({ Port: Int() }) }),
    nodeInfo: Obj({ machineID: Str(), systemUUID: Str(), bootID: Str(), kernelVersion: Str(), osImage: Str(), containerRuntimeVersion: Str(), kubeletVersion: Str(), kubeProxyVersion: Str(), operatingSystem: Str(), architecture: Str() }),
    images: AtomicList(Obj({ names: AtomicList(Str()), sizeBytes: Int() })),
    volumesInUse: AtomicList(Str()), volumesAttached: AtomicList(Any()), config: Any(),
  }),
});

const ServicePort = Type.Object({ name: Type.Optional(Str()), protocol: Type.Optional(Str()), appProtocol: Type.Optional(Str()), port: Int(), targetPort: Type.Optional(IntOrString()), nodePort: Type.Optional(Int()) }, { additionalProperties: true });
export const ServiceSchema = KindObject({
  spec: Obj({
    ports: Type.Array(ServicePort, { 'x-kubernetes-patch-merge-key': 'port', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'] }),
    selector: StringMap(), clusterIP: Str(), clusterIPs: AtomicList(Str()), type: Str(), externalIPs: AtomicList(Str()),
    sessionAffinity: Str(), loadBalancerIP: Str(), loadBalancerSourceRanges: AtomicList(Str()), externalName: Str(),
    externalTrafficPolicy: Str(), healthCheckNodePort: Int(), publishNotReadyAddresses: Bool(), sessionAffinityConfig: Any(),
    ipFamilies: AtomicList(Str()), ipFamilyPolicy: Str(), allocateLoadBalancerNodePorts: Bool(), loadBalancerClass: Str(),
    internalTrafficPolicy: Str(),
  }),
  status: Obj({ loadBalancer: Obj({ ingress: AtomicList(Any()) }), conditions: MergeList(ConditionSchema, 'type') }),
});

const EndpointAddress = Obj({ ip: Str(), hostname: Str(), nodeName: Str(), targetRef: Any() });
export const EndpointsSchema = KindObject({
  subsets: AtomicList(Obj({ addresses: AtomicList(EndpointAddress), notReadyAddresses: AtomicList(EndpointAddress), ports: AtomicList(Obj({ name: Str(), port: Int(), protocol: Str(), appProtocol: Str() })) })),
});
export const ConfigMapSchema = KindObject({ data: StringMap(), binaryData: StringMap(), immutable: Bool() });
export const SecretSchema = KindObject({ data: StringMap(), stringData: StringMap(), type: Str(), immutable: Bool() });
export const ServiceAccountSchema = KindObject({ secrets: MergeList(Obj({ name: Str(), namespace: Str(), kind: Str(), apiVersion: Str() }), 'name'), imagePullSecrets: AtomicList(Obj({ name: Str() })), automountServiceAccountToken: Bool() });
export const ObjectReferenceSchema = Obj({ kind: Str(), namespace: Str(), name: Str(), uid: Str(), apiVersion: Str(), resourceVersion: Str(), fieldPath: Str() });
export const EventSchema = KindObject({
  involvedObject: ObjectReferenceSchema, reason: Str(), message: Str(), source: Obj({ component: Str(), host: Str() }),
  firstTimestamp: Any(), lastTimestamp: Any(), count: Int(), type: Str(), eventTime: Any(), series: Any(), action: Str(),
  related: ObjectReferenceSchema, reportingComponent: Str(), reportingInstance: Str(),
});
export const BindingSchema = KindObject({ target: ObjectReferenceSchema });
export const ComponentStatusSchema = KindObject({ conditions: MergeList(Obj({ type: Str(), status: Str(), message: Str(), error: Str() }), 'type') });

export type Namespace = Static<typeof NamespaceSchema>;
export type Node = Static<typeof NodeSchema>;
export type Taint = Static<typeof TaintSchema>;
export type Service = Static<typeof ServiceSchema>;
export type Endpoints = Static<typeof EndpointsSchema>;
export type ConfigMap = Static<typeof ConfigMapSchema>;
export type Secret = Static<typeof SecretSchema>;
export type ServiceAccount = Static<typeof ServiceAccountSchema>;
export type Event = Static<typeof EventSchema>;
export type ObjectReference = Static<typeof ObjectReferenceSchema>;
export type Binding = Static<typeof BindingSchema>;
export type ComponentStatus = Static<typeof ComponentStatusSchema>;
