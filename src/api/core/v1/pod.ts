/**
 * Pod: defaults (pkg/apis/core/v1/defaults.go), validation
 * (pkg/apis/core/validation/validation.go ValidatePodCreate/ValidatePodUpdate), field
 * selector labels (pkg/registry/core/pod/strategy.go ToSelectableFields).
 */
import { podQosClass } from './qos.js';
import { isSidecar } from './sidecar.js';
import type { ResourceDefinition } from '../../resource-definition.js';
import { type FieldError, duplicate, forbiddenField, invalidValue, notSupported, required } from '../../../machinery/field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../machinery/validation.js';
import { isQuantity, parseQuantity } from '../../../machinery/quantity.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validate-object-meta.js';
import { PodSchema, type Container, type EphemeralContainer, type Pod, type PodSpec } from './pod-types.js';
import { stableJson } from '../../../machinery/stable-json.js';
import { rfc3339 } from '../../../machinery/time.js';
import { podPrinter } from '../../printers/pod-printer.js';

/** Image pull policy default: Always for `:latest` or untagged images, else IfNotPresent. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!probe) continue;
    probe.timeoutSeconds ??= 1; probe.periodSeconds ??= 10; probe.successThreshold ??= 1; probe.failureThreshold ??= 3;
    if (probe.httpGet) { probe.httpGet.path ??= '/'; probe.httpGet.scheme ??= 'HTTP'; }
  }
  // Requests default to limits when only limits are set.
  const r = c.resources;
  if (r.limits) { r.requests ??= {}; for (const [k, v] of Object.entries(r.limits)) r.requests[k] ??= v; }
}

/** Defaults of a PodSpec (also used for pod templates). */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    if (v.configMap) v.configMap.defaultMode ??= 0o644;
    if (v.secret) v.secret.defaultMode ??= 0o644;
    if (v.projected && typeof v.projected === 'object') {
      // upstream SetDefaults_ProjectedVolumeSource / SetDefaults_ServiceAccountTokenProjection.
      const pr = v.projected as { defaultMode?: number; sources?: Array<{ serviceAccountToken?: { expirationSeconds?: number } }> };
      pr.defaultMode ??= 0o644;
      for (const src of pr.sources ?? []) if (src?.serviceAccountToken) src.serviceAccountToken.expirationSeconds ??= 3600;
    }
    if (!v.emptyDir && !v.hostPath && !v.configMap && !v.secret && !v.projected && !v.persistentVolumeClaim && !v.downwardAPI && Object.keys(v).length === 1) v.emptyDir = {};
  }
}

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateContainers(list: Container[] | undefined, path: string, volumes: Set<string>, names: Set<string>, role: 'container' | 'init' | 'ephemeral' = 'container'): FieldError[] {
  const init = role === 'init';
  const errs: FieldError[] = [];
  (list ?? []).forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (!c.name) errs.push(required(`${p}.name`));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(invalidValue(`${p}.name`, c.name, m));
      if (names.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
      names.add(c.name);
    }
    if (!c.image || !c.image.trim()) errs.push(required(`${p}.image`));
    if (c.imagePullPolicy && !PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
    const portNames = new Set<string>();
    (c.ports ?? []).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      if (!Number.isInteger(port.containerPort) || port.containerPort < 1 || port.containerPort > 65535) errs.push(invalidValue(`${pp}.containerPort`, port.containerPort, 'must be between 1 and 65535, inclusive'));
      if (port.hostPort !== undefined && (port.hostPort < 1 || port.hostPort > 65535)) errs.push(invalidValue(`${pp}.hostPort`, port.hostPort, 'must be between 1 and 65535, inclusive'));
      if (port.protocol && !PROTOCOLS.includes(port.protocol)) errs.push(notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
      if (port.name) { if (portNames.has(port.name)) errs.push(duplicate(`${pp}.name`, port.name)); portNames.add(port.name); }
    });
    (c.env ?? []).forEach((e, j) => { if (!e.name) errs.push(required(`${p}.env[${j}].name`)); });
    // Container restartPolicy: only sidecars (init containers, "Always") set it (KEP-753).
    if (c.restartPolicy !== undefined && role !== 'ephemeral') {
      if (!init) errs.push(forbiddenField(`${p}.restartPolicy`, 'may not be set for non-init containers'));
      else if (c.restartPolicy !== 'Always') errs.push(notSupported(`${p}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    const plainInit = init && !isSidecar(c);
    if (plainInit && c.lifecycle) errs.push(forbiddenField(`${p}.lifecycle`, 'may not be set for init containers without restartPolicy=Always'));
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const pr = c[probe] as Record<string, unknown> | undefined;
      if (pr && plainInit) errs.push(forbiddenField(`${p}.${probe}`, 'may not be set for init containers without restartPolicy=Always'));
      else if (pr && !['exec', 'httpGet', 'tcpSocket', 'grpc'].some((h) => pr[h])) errs.push(required(`${p}.${probe}`, 'must specify a handler type'));
    }
    (c.volumeMounts ?? []).forEach((m, j) => {
      if (!m.name) errs.push(required(`${p}.volumeMounts[${j}].name`));
      else if (!volumes.has(m.name)) errs.push({ type: 'FieldValueNotFound', field: `${p}.volumeMounts[${j}].name`, badValue: m.name });
      if (!m.mountPath) errs.push(required(`${p}.volumeMounts[${j}].mountPath`));
    });
    for (const kind of ['requests', 'limits'] as const) {
      for (const [k, v] of Object.entries(c.resources?.[kind] ?? {})) {
        if (!isQuantity(v)) errs.push(invalidValue(`${p}.resources.${kind}[${k}]`, v, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
        else if (parseQuantity(v) < 0) errs.push(invalidValue(`${p}.resources.${kind}[${k}]`, v, 'must be greater than or equal to 0'));
      }
    }
    for (const [k, v] of Object.entries(c.resources?.requests ?? {})) {
      const lim = c.resources?.limits?.[k];
      if (lim !== undefined && isQuantity(v) && isQuantity(lim) && parseQuantity(v) > parseQuantity(lim)) errs.push(invalidValue(`${p}.resources.requests`, String(v), `must be less than or equal to ${k} limit of ${lim}`));
    }
  });
  return errs;
}

/** upstream validateProjectionSources, the serviceAccountToken part: expiry 600 s … 2^32 s, a path. */
function validateProjectedTokens(projected: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sources = (projected as { sources?: Array<{ serviceAccountToken?: { expirationSeconds?: number; path?: string } }> } | undefined)?.sources ?? [];
  sources.forEach((src, i) => {
    const t = src?.serviceAccountToken;
    if (!t) return;
    const p = `${path}.sources[${i}].serviceAccountToken`;
    const exp = t.expirationSeconds ?? 3600;
    if (exp < 600) errs.push(invalidValue(`${p}.expirationSeconds`, exp, 'may not specify a duration less than 10 minutes'));
    if (exp > 2 ** 32) errs.push(invalidValue(`${p}.expirationSeconds`, exp, 'may not specify a duration larger than 2^32 seconds'));
    if (!t.path) errs.push(required(`${p}.path`));
  });
  return errs;
}

/** Validates a PodSpec at `path` ('spec' for pods, 'spec.template.spec' for templates). */
export function validatePodSpec(spec: PodSpec | undefined, path: string, extraVolumes: string[] = []): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec ?? {};
  // Extra volumes: a StatefulSet's volumeClaimTemplates, which its pods mount by name.
  const volumes = new Set<string>(extraVolumes);
  (s.volumes ?? []).forEach((v, i) => {
    if (!v.name) errs.push(required(`${path}.volumes[${i}].name`));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(invalidValue(`${path}.volumes[${i}].name`, v.name, m));
      if (volumes.has(v.name)) errs.push(duplicate(`${path}.volumes[${i}].name`, v.name));
      volumes.add(v.name);
    }
    errs.push(...validateProjectedTokens(v.projected, `${path}.volumes[${i}].projected`));
  });
  if (!s.containers || s.containers.length === 0) errs.push(required(`${path}.containers`));
  const names = new Set<string>();
  errs.push(...validateContainers(s.initContainers, `${path}.initContainers`, volumes, names, 'init'));
  errs.push(...validateContainers(s.containers, `${path}.containers`, volumes, names));
  errs.push(...validateEphemeralContainers(s, `${path}.ephemeralContainers`, volumes, names));
  // Only a Pod's own spec has path 'spec'; every other caller validates a template.
  if (path !== 'spec' && s.ephemeralContainers?.length) errs.push(forbiddenField(`${path}.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  if (s.restartPolicy && !RESTART_POLICIES.includes(s.restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  if (s.dnsPolicy && !DNS_POLICIES.includes(s.dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES));
  if (s.terminationGracePeriodSeconds !== undefined && s.terminationGracePeriodSeconds < 0) errs.push(invalidValue(`${path}.terminationGracePeriodSeconds`, s.terminationGracePeriodSeconds, 'must be greater than or equal to 0'));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds <= 0) errs.push(invalidValue(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  if (s.serviceAccountName) for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(invalidValue(`${path}.serviceAccountName`, s.serviceAccountName, m));
  if (s.nodeName) for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(invalidValue(`${path}.nodeName`, s.nodeName, m));
  return errs;
}

/** Container fields an ephemeral container may not set (upstream's allow list, inverted). */
const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/**
 * Ephemeral containers (validateEphemeralContainers): the container rules, names unique
 * across every container of the pod, an existing non-ephemeral `targetContainerName`,
 * and none of the fields pod services rely on (ports, resources, probes, lifecycle…).
 */
function validateEphemeralContainers(spec: PodSpec, path: string, volumes: Set<string>, names: Set<string>): FieldError[] {
  const list = (spec.ephemeralContainers ?? []) as EphemeralContainer[];
  if (!list.length) return [];
  const targets = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  const errs = validateContainers(list, path, volumes, names, 'ephemeral');
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    if (c.targetContainerName && !targets.has(c.targetContainerName)) errs.push({ type: 'FieldValueNotFound', field: `${p}.targetContainerName`, badValue: c.targetContainerName });
    for (const f of EPHEMERAL_FORBIDDEN) {
      const v = (c as Record<string, unknown>)[f];
      const empty = v === undefined || v === null || (typeof v === 'object' && Object.values(v as object).every((x) => x === undefined || (typeof x === 'object' && x !== null && !Object.keys(x).length)));
      if (!empty) errs.push(forbiddenField(`${p}.${f}`, 'cannot be set for an Ephemeral Container'));
    }
    (c.volumeMounts ?? []).forEach((m, j) => {
      for (const f of ['subPath', 'subPathExpr'] as const) if ((m as Record<string, unknown>)[f]) errs.push(forbiddenField(`${p}.volumeMounts[${j}].${f}`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errs;
}

/**
 * An update through pods/{name}/ephemeralcontainers (ValidatePodEphemeralContainersUpdate):
 * the pod as a whole, and existing ephemeral containers neither removed nor changed.
 */
export function validateEphemeralContainersUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodSpec(pod.spec, 'spec')];
  const now = new Map(((pod.spec?.ephemeralContainers ?? []) as EphemeralContainer[]).map((c) => [c.name, c]));
  for (const before of (old.spec?.ephemeralContainers ?? []) as EphemeralContainer[]) {
    const after = now.get(before.name);
    if (!after) errs.push(forbiddenField('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(before.name)} may not be removed`));
    else if (stableJson(after) !== stableJson(before)) errs.push(forbiddenField('spec.ephemeralContainers', `existing ephemeral containers ${JSON.stringify(before.name)} may not be changed`));
  }
  return errs;
}

const MUTABLE_MESSAGE = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * Pod strategy (pkg/registry/core/pod/strategy.go): status reset on create (phase
 * Pending, QoS class), generation tracked, graceful deletion as CheckGracefulDeleteStrategy
 * (immediate for unscheduled or terminal pods, else the request's grace period or
 * terminationGracePeriodSeconds, 30 s by default).
 */
export const podDefinition: ResourceDefinition<Pod> = {
  info: {
    group: '', version: 'v1', kind: 'Pod', listKind: 'PodList', plural: 'pods', singular: 'pod', namespaced: true,
    shortNames: ['po'], categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'],
  },
  schema: PodSchema,
  protobufMessage: 'k8s.io.api.core.v1.Pod',
  printer: podPrinter,
  strategy: {
    // Pods have no metadata.generation in 1.32: upstream sets it from 1.33 on
    // (PodObservedGenerationTracking, kubernetes/kubernetes#130181).
    tracksGeneration: false,
    prepareForCreate(pod, deps) {
      pod.status = { phase: 'Pending', qosClass: podQosClass(pod) };
      // A gated pod says so from the start (upstream applySchedulingGatedCondition).
      if (pod.spec?.schedulingGates?.length) {
        pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null, lastTransitionTime: rfc3339(deps.clock()) }];
      }
    },
    gracePeriod(pod, opts) {
      if (!pod.spec?.nodeName) return 0;
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return 0;
      return Math.max(0, opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30);
    },
  },
  applyDefaults(pod) {
    pod.spec ??= {};
    defaultPodSpec(pod.spec);
  },
  validate(pod) {
    const errs = [...validateObjectMeta(pod.metadata, true), ...validatePodSpec(pod.spec, 'spec')];
    // Ephemeral containers are only added to running pods, through their subresource.
    if (pod.spec?.ephemeralContainers?.length) errs.push(forbiddenField('spec.ephemeralContainers', 'cannot be set on create'));
    return errs;
  },
  validateUpdate(pod, old) {
    const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodSpec(pod.spec, 'spec')];
    // Scheduling gates may only be removed (upstream validateSchedulingGates on update).
    const before = new Set((old.spec?.schedulingGates ?? []).map((g) => g.name));
    for (const g of pod.spec?.schedulingGates ?? []) {
      if (!before.has(g.name)) errs.push(forbiddenField('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g.name}'`));
    }
    if (stableJson(stripMutable(structuredClone(pod.spec ?? {}))) !== stableJson(stripMutable(structuredClone(old.spec ?? {})))) {
      errs.push(forbiddenField('spec', MUTABLE_MESSAGE));
    }
    return errs;
  },
  fieldLabels(pod) {
    return {
      'spec.nodeName': pod.spec?.nodeName ?? '', 'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
      'spec.schedulerName': pod.spec?.schedulerName ?? '', 'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(pod.spec?.hostNetwork ?? false), 'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIP ?? '', 'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
};

function stripMutable(spec: PodSpec): PodSpec {
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) delete c.image;
  delete spec.activeDeadlineSeconds;
  delete spec.tolerations;
  delete spec.terminationGracePeriodSeconds;
  delete spec.schedulingGates;
  return spec;
}
