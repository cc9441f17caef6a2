/**
 * A kind's schema (JSON Schema, usable wherever a TypeBox TSchema is) generated from its
 * structural type, i.e. from the protobuf wire contract: every field with its JSON type,
 * int32/int64 formats, int-or-string and quantity markers, maps and lists. Lists carry
 * upstream's patch metadata (`x-kubernetes-patch-strategy`, `-patch-merge-key`,
 * `-list-type`, `-list-map-keys`) from {@link LIST_METADATA}; lists not named there are
 * atomic, as upstream's default. Subtrees the project already describes by hand (the
 * pod template, ObjectMeta, label selectors) are taken from those schemas, so strategic
 * merge patch and OpenAPI see one description per type.
 * Upstream: the `+patchStrategy`/`+listType` markers of k8s.io/api types as published in
 * the OpenAPI documents.
 */
import type { TSchema } from '@sinclair/typebox';
import { PodSpecSchema, PodTemplateSpecSchema } from '../core/v1/pod-types.js';
import { LabelSelectorSchema, ObjectMetaSchema } from '../meta/v1/types.js';
import { structuralType, type StructuralType } from './structural-type.js';

type ListMetadata = { mergeKey?: string; strategy?: 'merge' | 'retainKeys' | 'merge,retainKeys'; listType: 'map' | 'set' | 'atomic'; mapKeys?: string[] };

const mapList = (key: string, patch = true): ListMetadata => ({ ...(patch ? { mergeKey: key, strategy: 'merge' as const } : {}), listType: 'map', mapKeys: [key] });
const conditions = mapList('type');

/** Patch and list metadata of list fields, by `GoStruct.field` (upstream's markers). */
export const LIST_METADATA: Record<string, ListMetadata> = {
  'StatefulSetSpec.volumeClaimTemplates': { listType: 'atomic' },
  'DeploymentStatus.conditions': conditions, 'ReplicaSetStatus.conditions': conditions, 'StatefulSetStatus.conditions': conditions,
  'DaemonSetStatus.conditions': conditions, 'JobStatus.conditions': { listType: 'atomic' }, 'ReplicationControllerStatus.conditions': conditions,
  'PersistentVolumeClaimStatus.conditions': conditions, 'NodeStatus.conditions': conditions, 'NamespaceStatus.conditions': conditions,
  'PodDisruptionBudgetStatus.conditions': conditions, 'HorizontalPodAutoscalerStatus.conditions': { listType: 'atomic' },
  'CertificateSigningRequestStatus.conditions': { listType: 'map', mapKeys: ['type'] },
  'CustomResourceDefinitionStatus.conditions': { listType: 'map', mapKeys: ['type'] },
  'APIServiceStatus.conditions': conditions,
  'JSONSchemaProps.x-kubernetes-validations': mapList('rule'),
  'ServiceSpec.ports': { mergeKey: 'port', strategy: 'merge', listType: 'map', mapKeys: ['port', 'protocol'] },
  'NodeSpec.taints': { listType: 'atomic' },
  'PersistentVolumeClaimSpec.accessModes': { listType: 'atomic' },
  'PersistentVolumeSpec.accessModes': { listType: 'atomic' },
  'ClusterRole.rules': { listType: 'atomic' }, 'Role.rules': { listType: 'atomic' },
  'RoleBinding.subjects': { listType: 'atomic' }, 'ClusterRoleBinding.subjects': { listType: 'atomic' },
  'EndpointSlice.endpoints': { listType: 'atomic' }, 'EndpointSlice.ports': { listType: 'atomic' },
  'LimitRangeSpec.limits': { listType: 'atomic' },
  'ResourceQuotaSpec.scopes': { listType: 'atomic' },
  'NetworkPolicySpec.ingress': { listType: 'atomic' }, 'NetworkPolicySpec.egress': { listType: 'atomic' },
  'NetworkPolicySpec.policyTypes': { listType: 'atomic' },
  'IngressSpec.rules': { listType: 'atomic' }, 'IngressSpec.tls': { listType: 'atomic' },
  'MutatingWebhookConfiguration.webhooks': mapList('name'), 'ValidatingWebhookConfiguration.webhooks': mapList('name'),
  'StorageClass.mountOptions': { listType: 'atomic' }, 'StorageClass.allowedTopologies': { listType: 'atomic' },
  'PodSpec.containers': mapList('name'), 'PodSpec.initContainers': mapList('name'), 'PodSpec.ephemeralContainers': mapList('name'),
  'PodSpec.volumes': { mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', mapKeys: ['name'] },
  'PodSpec.imagePullSecrets': mapList('name'), 'PodSpec.hostAliases': mapList('ip'),
  'PodSpec.topologySpreadConstraints': { mergeKey: 'topologyKey', strategy: 'merge', listType: 'map', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  'PodSpec.schedulingGates': mapList('name'), 'PodSpec.resourceClaims': { mergeKey: 'name', strategy: 'merge,retainKeys', listType: 'map', mapKeys: ['name'] },
  'Container.ports': { mergeKey: 'containerPort', strategy: 'merge', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
  'Container.env': mapList('name'), 'Container.volumeMounts': mapList('mountPath'), 'Container.volumeDevices': mapList('devicePath'),
  'EphemeralContainer.ports': { mergeKey: 'containerPort', strategy: 'merge', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
  'EphemeralContainer.env': mapList('name'), 'EphemeralContainer.volumeMounts': mapList('mountPath'), 'EphemeralContainer.volumeDevices': mapList('devicePath'),
  'PodStatus.conditions': conditions, 'PodStatus.podIPs': mapList('ip'), 'PodStatus.hostIPs': mapList('ip'),
  'ObjectMeta.ownerReferences': mapList('uid'), 'ObjectMeta.finalizers': { strategy: 'merge', listType: 'set' },
  'NodeStatus.addresses': mapList('type'), 'NodeSpec.podCIDRs': { strategy: 'merge', listType: 'set' },
  'ServiceAccount.secrets': mapList('name'),
};

/** Messages whose schema is the hand-written one (it carries the patch metadata of its subtree). */
const HAND_WRITTEN: Record<string, TSchema> = {
  'k8s.io.api.core.v1.PodTemplateSpec': PodTemplateSpecSchema,
  'k8s.io.api.core.v1.PodSpec': PodSpecSchema,
  'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta': ObjectMetaSchema,
  'k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector': LabelSelectorSchema,
};

const cache = new Map<string, TSchema>();

/** Upstream's OpenAPI definition name of a proto message: `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps`. */
export const openApiDefinitionName = (message: string): string => `io.k8s.${message.replace(/^\.?k8s\.io\./, '').replace(/_/g, '-')}`;
/** Messages a recursive OpenAPI schema refers to by `$ref: '#/components/schemas/<name>'`, by definition name. */
const refTargets = new Map<string, string>();
/** The message behind a `$ref` definition name that {@link structuralSchema} emitted (openApi form), if any. */
export const openApiRefTarget = (definition: string): string | undefined => refTargets.get(definition);
/** Definition names of every `<prefix>...` reference inside `schema` (`#/components/schemas/` by default). */
export function openApiRefs(schema: unknown, out = new Set<string>(), prefix = '#/components/schemas/'): Set<string> {
  if (Array.isArray(schema)) for (const x of schema) openApiRefs(x, out, prefix);
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix)) out.add(v.slice(prefix.length));
      else openApiRefs(v, out, prefix);
    }
  }
  return out;
}
/** A plain JSON Schema object as a TSchema (TypeBox schemas are JSON Schema too). */
const js = (o: object): TSchema => o as unknown as TSchema;

/**
 * The schema of proto message `message` (e.g. `k8s.io.api.batch.v1.Job`). Throws Error
 * when descriptors.json has no such message. Cached; recursive references become `{}`
 * (openApi form: a `$ref` to `#/components/schemas/<definition>`, see {@link openApiRefs}).
 * `openApi`: the form OpenAPI documents publish — every subtree from the wire contract
 * (no hand-written parts), int-or-string as `type: string, format: int-or-string`,
 * quantities as strings, free-form JSON as objects preserving unknown fields.
 */
export function structuralSchema(message: string, opts: { openApi?: boolean } = {}): TSchema {
  const key = `${opts.openApi ? 'openapi:' : ''}${message}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const t = structuralType(message);
  if (!t) throw new Error(`no structural type for message ${message}`);
  const s = toSchema(t, undefined, new Set(), !!opts.openApi);
  cache.set(key, s);
  return s;
}

function toSchema(t: StructuralType, list: ListMetadata | undefined, visiting: Set<string>, openApi: boolean): TSchema {
  switch (t.kind) {
    case 'scalar':
      if (t.scalar === 'bool') return js({ type: 'boolean' });
      if (t.scalar === 'string') return js({ type: 'string' });
      if (t.scalar === 'bytes') return js({ type: 'string', format: 'byte' });
      if (t.scalar === 'double' || t.scalar === 'float') return js({ type: 'number', format: t.scalar });
      return js({ type: 'integer', format: t.scalar === 'int32' || t.scalar === 'uint32' ? 'int32' : 'int64' });
    case 'quantity': if (openApi) return js({ type: 'string', format: 'quantity' });
      return js({ anyOf: [{ type: 'string' }, { type: 'number' }], format: 'quantity', 'x-kubernetes-int-or-string': true });
    case 'int-or-string': if (openApi) return js({ type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true });
      return js({ anyOf: [{ type: 'integer' }, { type: 'string' }], format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    case 'time': return js({ type: 'string', format: 'date-time' });
    case 'duration': return js({ type: 'string' });
    case 'any': return js(openApi ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } : {});
    case 'map': return js({ type: 'object', additionalProperties: toSchema(t.values, undefined, visiting, openApi) });
    case 'array': {
      const meta = list ?? { listType: 'atomic' as const };
      return js({
        type: 'array', items: toSchema(t.items, undefined, visiting, openApi),
        ...(meta.strategy ? { 'x-kubernetes-patch-strategy': meta.strategy } : {}),
        ...(meta.mergeKey ? { 'x-kubernetes-patch-merge-key': meta.mergeKey } : {}),
        'x-kubernetes-list-type': meta.listType,
        ...(meta.mapKeys ? { 'x-kubernetes-list-map-keys': meta.mapKeys } : {}),
      });
    }
    case 'object': {
      const hand = openApi ? undefined : HAND_WRITTEN[t.message];
      if (hand) return hand;
      if (visiting.has(t.message)) {
        if (!openApi) return js({});
        // A recursive type (apiextensions' JSONSchemaProps) refers to its own definition, as upstream's documents do.
        const name = openApiDefinitionName(t.message);
        refTargets.set(name, t.message);
        return js({ $ref: `#/components/schemas/${name}` });
      }
      visiting.add(t.message);
      const properties: Record<string, TSchema> = {};
      for (const [name, f] of t.fields) properties[name] = toSchema(f.type, LIST_METADATA[`${t.structName}.${name}`], visiting, openApi);
      visiting.delete(t.message);
      return js(openApi ? { type: 'object', properties } : { type: 'object', properties, additionalProperties: true });
    }
  }
}
