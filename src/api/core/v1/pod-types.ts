/**
 * core/v1 Pod schema (API reference "Pod v1 core"): the one definition of the Pod type
 * with its strategic-merge-patch metadata (containers merge on `name`, ports on
 * `containerPort`, env on `name`, volumes on `name`, volumeMounts on `mountPath`,
 * conditions on `type`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Any, AtomicList, Bool, Int, IntOrString, MergeList, Obj, Quantity, Str, StringMap, Time } from '../../schema.js';
import { LabelSelectorSchema, ObjectMetaSchema } from '../../meta/v1/types.js';

const KeyRef = Obj({ name: Str(), key: Str(), optional: Bool() });
export const EnvVarSchema = Type.Object({
  name: Str(), value: Type.Optional(Str()),
  valueFrom: Type.Optional(Obj({
    configMapKeyRef: KeyRef, secretKeyRef: KeyRef,
    fieldRef: Obj({ apiVersion: Str(), fieldPath: Str() }),
    resourceFieldRef: Obj({ containerName: Str(), resource: Str(), divisor: Quantity() }),
  })),
}, { additionalProperties: true });
export const EnvFromSourceSchema = Obj({ prefix: Str(), configMapRef: Obj({ name: Str(), optional: Bool() }), secretRef: Obj({ name: Str(), optional: Bool() }) });
export const ContainerPortSchema = Type.Object({
  containerPort: Int(), name: Type.Optional(Str()), protocol: Type.Optional(Str()), hostPort: Type.Optional(Int()), hostIP: Type.Optional(Str()),
}, { additionalProperties: true });
export const ResourceRequirementsSchema = Obj({ limits: Type.Record(Type.String(), Quantity()), requests: Type.Record(Type.String(), Quantity()) });
export const ProbeSchema = Obj({
  exec: Obj({ command: AtomicList(Str()) }),
  httpGet: Obj({ path: Str(), port: IntOrString(), host: Str(), scheme: Str(), httpHeaders: AtomicList(Obj({ name: Str(), value: Str() })) }),
  tcpSocket: Obj({ port: IntOrString(), host: Str() }),
  grpc: Obj({ port: Int(), service: Str() }),
  initialDelaySeconds: Int(), timeoutSeconds: Int(), periodSeconds: Int(), successThreshold: Int(), failureThreshold: Int(), terminationGracePeriodSeconds: Int(),
});
export const VolumeMountSchema = Type.Object({ name: Str(), mountPath: Str(), readOnly: Type.Optional(Bool()), subPath: Type.Optional(Str()), mountPropagation: Type.Optional(Str()) }, { additionalProperties: true });
export const SecurityContextSchema = Obj({ runAsUser: Int(), runAsGroup: Int(), runAsNonRoot: Bool(), privileged: Bool(), readOnlyRootFilesystem: Bool(), allowPrivilegeEscalation: Bool(), capabilities: Obj({ add: AtomicList(Str()), drop: AtomicList(Str()) }) });
export const ContainerSchema = Type.Object({
  name: Str(),
  image: Type.Optional(Str()),
  command: Type.Optional(AtomicList(Str())),
  args: Type.Optional(AtomicList(Str())),
  workingDir: Type.Optional(Str()),
  ports: Type.Optional(Type.Array(ContainerPortSchema, { 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] })),
  env: Type.Optional(MergeList(EnvVarSchema, 'name')),
  envFrom: Type.Optional(AtomicList(EnvFromSourceSchema)),
  resources: Type.Optional(ResourceRequirementsSchema),
  volumeMounts: Type.Optional(MergeList(VolumeMountSchema, 'mountPath')),
  volumeDevices: Type.Optional(MergeList(Obj({ name: Str(), devicePath: Str() }), 'devicePath')),
  livenessProbe: Type.Optional(ProbeSchema), readinessProbe: Type.Optional(ProbeSchema), startupProbe: Type.Optional(ProbeSchema),
  lifecycle: Type.Optional(Any()),
  terminationMessagePath: Type.Optional(Str()), terminationMessagePolicy: Type.Optional(Str()),
  imagePullPolicy: Type.Optional(Str()),
  securityContext: Type.Optional(SecurityContextSchema),
  stdin: Type.Optional(Bool()), stdinOnce: Type.Optional(Bool()), tty: Type.Optional(Bool()),
  restartPolicy: Type.Optional(Str()),
}, { additionalProperties: true });
export const TolerationSchema = Obj({ key: Str(), operator: Str(), value: Str(), effect: Str(), tolerationSeconds: Int() });
const NodeSelectorRequirement = Type.Object({ key: Str(), operator: Str(), values: Type.Optional(AtomicList(Str())) }, { additionalProperties: true });
export const NodeSelectorTermSchema = Obj({ matchExpressions: AtomicList(NodeSelectorRequirement), matchFields: AtomicList(NodeSelectorRequirement) });
export const AffinitySchema = Obj({
  nodeAffinity: Obj({
    requiredDuringSchedulingIgnoredDuringExecution: Obj({ nodeSelectorTerms: AtomicList(NodeSelectorTermSchema) }),
    preferredDuringSchedulingIgnoredDuringExecution: AtomicList(Obj({ weight: Int(), preference: NodeSelectorTermSchema })),
  }),
  podAffinity: Any(), podAntiAffinity: Any(),
});
const KeyToPath = AtomicList(Obj({ key: Str(), path: Str(), mode: Int() }));
export const VolumeSchema = Type.Object({
  name: Str(),
  emptyDir: Type.Optional(Obj({ medium: Str(), sizeLimit: Quantity() })),
  hostPath: Type.Optional(Obj({ path: Str(), type: Str() })),
  configMap: Type.Optional(Obj({ name: Str(), items: KeyToPath, defaultMode: Int(), optional: Bool() })),
  secret: Type.Optional(Obj({ secretName: Str(), items: KeyToPath, defaultMode: Int(), optional: Bool() })),
  projected: Type.Optional(Any()),
  persistentVolumeClaim: Type.Optional(Obj({ claimName: Str(), readOnly: Bool() })),
  downwardAPI: Type.Optional(Any()),
}, { additionalProperties: true });

export const PodSpecSchema = Obj({
  // Upstream: patchStrategy "merge,retainKeys" (kubectl apply sends $retainKeys for a volume's source).
  volumes: Type.Array(VolumeSchema, { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
  initContainers: MergeList(ContainerSchema, 'name'),
  containers: MergeList(ContainerSchema, 'name'),
  ephemeralContainers: MergeList(Type.Composite([ContainerSchema, Obj({ targetContainerName: Str() })]), 'name'),
  restartPolicy: Str(), terminationGracePeriodSeconds: Int(), activeDeadlineSeconds: Int(),
  dnsPolicy: Str(), nodeSelector: StringMap(), serviceAccountName: Str(), serviceAccount: Str(),
  automountServiceAccountToken: Bool(), nodeName: Str(), hostNetwork: Bool(), hostPID: Bool(), hostIPC: Bool(),
  shareProcessNamespace: Bool(), securityContext: Any(), imagePullSecrets: MergeList(Obj({ name: Str() }), 'name'),
  hostname: Str(), subdomain: Str(), affinity: AffinitySchema, schedulerName: Str(),
  tolerations: AtomicList(TolerationSchema), hostAliases: MergeList(Obj({ ip: Str(), hostnames: AtomicList(Str()) }), 'ip'),
  priorityClassName: Str(), priority: Int(), dnsConfig: Any(), readinessGates: AtomicList(Obj({ conditionType: Str() })),
  runtimeClassName: Str(), enableServiceLinks: Bool(), preemptionPolicy: Str(), overhead: Type.Record(Type.String(), Quantity()),
  topologySpreadConstraints: Type.Array(Any(), { 'x-kubernetes-patch-merge-key': 'topologyKey', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['topologyKey', 'whenUnsatisfiable'] }),
  setHostnameAsFQDN: Bool(), os: Obj({ name: Str() }),
  schedulingGates: MergeList(Obj({ name: Str() }), 'name'),
  resourceClaims: Type.Array(Obj({ name: Str(), resourceClaimName: Str(), resourceClaimTemplateName: Str() }), { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
});

export const ContainerStateSchema = Obj({
  waiting: Obj({ reason: Str(), message: Str() }),
  running: Obj({ startedAt: Time() }),
  terminated: Obj({ exitCode: Int(), signal: Int(), reason: Str(), message: Str(), startedAt: Time(), finishedAt: Time(), containerID: Str() }),
});
export const ContainerStatusSchema = Obj({
  name: Str(), state: ContainerStateSchema, lastState: ContainerStateSchema, ready: Bool(), restartCount: Int(),
  image: Str(), imageID: Str(), containerID: Str(), started: Bool(),
});
export const PodConditionSchema = Obj({ type: Str(), status: Str(), lastProbeTime: Any(), lastTransitionTime: Time(), reason: Str(), message: Str() });
const IPEntry = Obj({ ip: Str() });
export const PodStatusSchema = Obj({
  phase: Str(), conditions: MergeList(PodConditionSchema, 'type'), message: Str(), reason: Str(), nominatedNodeName: Str(),
  hostIP: Str(), hostIPs: MergeList(IPEntry, 'ip'), podIP: Str(), podIPs: MergeList(IPEntry, 'ip'), startTime: Time(),
  initContainerStatuses: AtomicList(ContainerStatusSchema), containerStatuses: AtomicList(ContainerStatusSchema),
  ephemeralContainerStatuses: AtomicList(ContainerStatusSchema), qosClass: Str(),
});

export const PodTemplateSpecSchema = Obj({ metadata: ObjectMetaSchema, spec: PodSpecSchema });

export const PodSchema = Type.Object({
  apiVersion: Type.Optional(Str()), kind: Type.Optional(Str()),
  metadata: ObjectMetaSchema, spec: Type.Optional(PodSpecSchema), status: Type.Optional(PodStatusSchema),
}, { additionalProperties: true });

export type Container = Static<typeof ContainerSchema>;
export type ContainerPort = Static<typeof ContainerPortSchema>;
export type EnvVar = Static<typeof EnvVarSchema>;
export type Volume = Static<typeof VolumeSchema>;
export type Probe = Static<typeof ProbeSchema>;
export type Toleration = Static<typeof TolerationSchema>;
export type PodSpec = Static<typeof PodSpecSchema>;
/** core/v1 EphemeralContainer: a Container's fields plus targetContainerName. */
export type EphemeralContainer = Container & { targetContainerName?: string };
export type PodStatus = Static<typeof PodStatusSchema>;
export type PodCondition = Static<typeof PodConditionSchema>;
export type ContainerStatus = Static<typeof ContainerStatusSchema>;
export type ContainerState = Static<typeof ContainerStateSchema>;
export type PodTemplateSpec = Static<typeof PodTemplateSpecSchema>;
export type Pod = Static<typeof PodSchema>;
export { LabelSelectorSchema };
