/**
 * Kubernetes protobuf encoding of request bodies (API concepts, "Protobuf encoding"):
 * a 4-byte magic `k8s\0` followed by a runtime.Unknown {typeMeta, raw} whose `raw` is
 * the object encoded with the kind's generated.proto message. client-go's typed clients
 * send this by default since 1.31 (kubectl create namespace/configmap/deployment, ...).
 *
 * Decoding uses the wire contract in descriptors.json (regenerate with
 * scripts/gen-protobuf-descriptors.mjs) and turns the message into the JSON form the
 * rest of k8ts uses: Quantity → string, IntOrString → number|string, Time → RFC 3339,
 * RawExtension → embedded JSON, bytes → base64. Zero values that gogo-protobuf writes
 * for non-pointer fields are dropped, as `omitempty` drops them in JSON.
 * Throws Error with a message on malformed input.
 */
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';
import type { KubeObject } from '../object.js';
import { jsonNameOf } from './json-names.js';
import { descriptorSet } from './descriptor-set.js';
import { INLINE_FIELDS } from '../structural/structural-type.js';

/** The 4 bytes that start every Kubernetes protobuf body (apimachinery runtime/serializer/protobuf). */
export const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

let root: protobuf.Root | undefined;
/** The protobuf types of descriptors.json and extension-descriptors.json (descriptor-set.ts), loaded once. */
export function getRoot(): protobuf.Root {
  if (!root) {
    const set = descriptorSet();
    root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor(set);
    root.resolveAll();
  }
  return root;
}

export const isProtobufContentType = (ct: string | undefined): boolean => !!ct && ct.toLowerCase().startsWith('application/vnd.kubernetes.protobuf');

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function rfc3339(seconds: number, nanos = 0, micro = false): string {
  const d = new Date(seconds * 1000);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micro ? `${base}.${pad(Math.floor(nanos / 1000), 6)}Z` : `${base}Z`;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false
  || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/**
 * Pointer fields of the Go types (`*int32`, `*bool`, ...) whose zero value is a real
 * choice (gogo writes them only when set); every other zero is dropped like omitempty.
 */
const ZERO_MEANINGFUL = new Set([
  'replicas', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds',
  'automountServiceAccountToken', 'privileged', 'readOnlyRootFilesystem', 'runAsNonRoot', 'allowPrivilegeEscalation', 'optional',
  'immutable', 'enableServiceLinks', 'runAsUser', 'runAsGroup', 'fsGroup', 'defaultMode', 'mode', 'backoffLimit', 'completions',
  'parallelism', 'ttlSecondsAfterFinished', 'suspend', 'setHostnameAsFQDN', 'shareProcessNamespace', 'hostUsers', 'gracePeriodSeconds',
  'orphanDependents', 'blockOwnerDeletion', 'controller', 'leaseDurationSeconds', 'leaseTransitions', 'priority', 'expirationSeconds',
]);

const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
/** Per message: pointer or non-omitempty fields of these Go types whose zero value is kept. */
const ZERO_MEANINGFUL_IN: Record<string, ReadonlySet<string>> = {
  [`${APIEXT}.JSONSchemaProps`]: new Set(['maximum', 'minimum', 'maxLength', 'minLength', 'maxItems', 'minItems', 'multipleOf', 'maxProperties', 'minProperties']),
  [`${APIEXT}.CustomResourceDefinitionVersion`]: new Set(['served', 'storage']),
  'k8s.io.kube_aggregator.pkg.apis.apiregistration.v1.APIServiceSpec': new Set(['groupPriorityMinimum', 'versionPriority']),
};
/** Messages whose decoded value is kept even when it is a zero (`default: false`, `additionalProperties: false`). */
const KEEP_ANY_VALUE: ReadonlySet<string> = new Set([`${APIEXT}.JSON`, `${APIEXT}.JSONSchemaPropsOrBool`]);

/** Pointer-to-struct fields whose empty value `{}` is a real choice (`subresources: {status: {}}`). */
const KEEP_EMPTY: ReadonlySet<string> = new Set(['CustomResourceSubresourceStatus', 'CustomResourceSubresources', 'CustomResourceSubresourceScale',
  'CustomResourceValidation', 'JSONSchemaProps'].map((m) => `${APIEXT}.${m}`));

const num = (v: unknown): number => (typeof v === 'object' && v !== null ? Number((v as { toString(): string }).toString()) : Number(v ?? 0));

/** A repeated `XEntry {key=1, value=2}` message: a proto map as gogo writes it. */
const isMapEntry = (t: protobuf.Type): boolean => t.name.endsWith('Entry') && t.fieldsArray.length === 2 && !!t.fields.key && !!t.fields.value;

/** Converts a decoded message of `type` into the JSON form. Returns undefined for a zero value. */
function toJson(msg: protobuf.Message | Record<string, unknown>, type: protobuf.Type): unknown {
  const full = type.fullName.replace(/^\./, '');
  const m = msg as Record<string, unknown>;
  switch (full) {
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity': return m.string || undefined;
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': return Number(m.type ?? 0) === 1 ? m.strVal : Number(m.intVal ?? 0);
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.Time': return num(m.seconds) ? rfc3339(num(m.seconds)) : undefined;
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': return num(m.seconds) ? rfc3339(num(m.seconds), num(m.nanos), true) : undefined;
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension': {
      const raw = m.raw as Uint8Array | undefined;
      return raw && raw.length ? JSON.parse(Buffer.from(raw).toString('utf8')) : undefined;
    }
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': {
      const raw = m.Raw as Uint8Array | undefined;
      return raw && raw.length ? JSON.parse(Buffer.from(raw).toString('utf8')) : undefined;
    }
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': return num(m.duration) ? `${num(m.duration) / 1e9}s` : undefined;
    // apiextensions/v1's custom JSON forms (types_jsonschema.go MarshalJSON).
    case `${APIEXT}.JSON`: {
      const raw = m.raw as Uint8Array | undefined;
      return raw && raw.length ? JSON.parse(Buffer.from(raw).toString('utf8')) : undefined;
    }
    case `${APIEXT}.JSONSchemaPropsOrBool`:
      return m.schema ? toJson(m.schema as protobuf.Message, type.fields.schema.resolvedType as protobuf.Type) ?? {} : Boolean(m.allows);
    case `${APIEXT}.JSONSchemaPropsOrArray`: {
      const t = type.fields.schema.resolvedType as protobuf.Type;
      const list = m.jSONSchemas as protobuf.Message[] | undefined;
      if (list?.length) return list.map((x) => toJson(x, t) ?? {});
      return m.schema ? toJson(m.schema as protobuf.Message, t) ?? {} : undefined;
    }
    case `${APIEXT}.JSONSchemaPropsOrStringArray`: {
      const property = m.property as string[] | undefined;
      if (property?.length) return [...property];
      return m.schema ? toJson(m.schema as protobuf.Message, type.fields.schema.resolvedType as protobuf.Type) ?? {} : undefined;
    }
    default: break;
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const v = m[field.name];
    if (v === undefined || v === null) continue;
    if (!Object.prototype.hasOwnProperty.call(m, field.name)) continue;
    const conv = (x: unknown): unknown => {
      if (field.resolvedType instanceof protobuf.Type) return toJson(x as protobuf.Message, field.resolvedType);
      if (x instanceof Uint8Array) return Buffer.from(x).toString('base64');
      if (typeof x === 'object' && x !== null && 'low' in (x as object)) return num(x);
      return x;
    };
    let value: unknown;
    const rt = field.resolvedType;
    if (field.repeated && rt instanceof protobuf.Type && isMapEntry(rt)) {
      const obj: Record<string, unknown> = {};
      const vt = rt.fields.value.resolvedType;
      for (const e of v as Array<Record<string, unknown>>) {
        const x = e.value;
        obj[String(e.key ?? '')] = vt instanceof protobuf.Type ? toJson(x as protobuf.Message, vt) : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x ?? '';
      }
      value = obj;
    } else if (field.repeated) value = (v as unknown[]).map(conv);
    else value = conv(v);
    if (typeof value === 'object' && value !== null && 'low' in value) value = num(value);
    // A Go struct embedded with `json:",inline"` (Volume.volumeSource, Probe.handler): its fields are the parent's.
    if (INLINE_FIELDS.has(field.name) && field.resolvedType instanceof protobuf.Type && !field.repeated) {
      if (value && typeof value === 'object') Object.assign(out, value);
      continue;
    }
    // An IntOrString present on the wire is set (0 is a real value: maxUnavailable: 0).
    const intOrString = field.resolvedType?.fullName.endsWith('.intstr.IntOrString') && value === 0;
    const keepZero = intOrString || ((ZERO_MEANINGFUL.has(field.name) || ZERO_MEANINGFUL_IN[full]?.has(field.name)) && (value === 0 || value === false))
      || (value !== undefined && !field.repeated && KEEP_ANY_VALUE.has(field.resolvedType?.fullName.replace(/^\./, '') ?? ''));
    const keepEmpty = !field.repeated && value !== undefined && KEEP_EMPTY.has(field.resolvedType?.fullName.replace(/^\./, '') ?? '');
    if (keepZero || keepEmpty || !isEmpty(value)) out[jsonNameOf(type.fullName, field.name)] = value;
  }
  return out;
}

/** Gives the fully-qualified protobuf message of a kind (from the resource table), if it has one. */
export type ProtobufMessageResolver = (apiVersion: string, kind: string) => string | undefined;

/**
 * Decodes a protobuf request body into an API object (apiVersion/kind from the
 * envelope). The message comes from `messageOf`; kinds it does not know are looked up
 * among meta/v1's (DeleteOptions, ...). Throws Error on malformed input or an unknown kind.
 */
export function decodeProtobufObject(body: Buffer, messageOf: ProtobufMessageResolver): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw new Error('protobuf body does not start with the k8s magic number');
  const r = getRoot();
  const Unknown = r.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const env = Unknown.decode(body.subarray(4)) as unknown as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  const apiVersion = env.typeMeta?.apiVersion ?? '';
  const kind = env.typeMeta?.kind ?? '';
  if (!kind) throw new Error(`no protobuf message known for ${apiVersion}, Kind=${kind}`);
  const message = messageOf(apiVersion, kind);
  let type: protobuf.Type;
  try { type = r.lookupType(message ?? `k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`); } catch {
    try { type = r.lookupType(`k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`); } catch { throw new Error(`no protobuf message known for ${apiVersion}, Kind=${kind}`); }
  }
  const msg = type.decode(env.raw ?? new Uint8Array());
  const obj = (toJson(msg, type) ?? {}) as KubeObject;
  return { apiVersion, kind, ...obj, metadata: (obj.metadata ?? {}) as KubeObject['metadata'] };
}
