/**
 * Structural description of a Kubernetes API type, built from the protobuf wire contract
 * (src/api/protobuf/descriptors.json, from kubectl 1.32's generated.proto files) where
 * message names are the Go type names and field names are the JSON names.
 *
 * Upstream facts followed: TypeMeta (apiVersion, kind) is inline in Go and absent from
 * the proto, so kinds accept those two strings; Go structs embedded with `json:",inline"`
 * appear in proto as a message field (Volume.volumeSource, Probe.handler, ...) and are
 * flattened here; well-known types (Quantity, IntOrString, Time, Duration, RawExtension,
 * ...) have their custom JSON forms; `ExtraValue`/`Verbs` are Go `[]string` types.
 */
import { jsonNameOf } from '../protobuf/json-names.js';
import { descriptorSet } from '../protobuf/descriptor-set.js';

/** Scalar proto kinds and the Go type each decodes into. */
export type ScalarKind = 'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float' | 'bytes';
/** Types with an UnmarshalJSON of their own in Go. */
export type SpecialKind = 'quantity' | 'int-or-string' | 'time' | 'duration' | 'any';

export type StructuralType =
  | { kind: 'scalar'; scalar: ScalarKind; goType: string }
  | { kind: SpecialKind; goType: string; schemaOr?: SchemaOr }
  | { kind: 'array'; items: StructuralType; goType: string }
  | { kind: 'map'; values: StructuralType; goType: string }
  | ObjectType;

/**
 * apiextensions' JSONSchemaPropsOrArray/OrBool/OrStringArray: custom JSON holding a
 * JSONSchemaProps (an object), or a list of them / a bool / a string list. Their Go
 * UnmarshalJSON decodes non-strictly, so they are `any` to the strict checker, but the
 * schema inside is still pruned of unknown fields.
 */
export interface SchemaOr { list: 'schemas' | 'strings' | 'none'; schema(): StructuralType | undefined }

/** A Go struct: `fields` maps JSON name → field (inline structs already flattened). */
export interface ObjectType {
  kind: 'object';
  /** Fully-qualified proto message name, e.g. `k8s.io.api.apps.v1.Deployment`. */
  message: string;
  /** Go type as reflect prints it, e.g. `v1.Deployment`. */
  goType: string;
  /** Go struct name as `reflect.Type.Name()` gives it, e.g. `Deployment`. */
  structName: string;
  fields: Map<string, StructField>;
}

export interface StructField {
  type: StructuralType;
  /** Names of the embedded Go structs this field is promoted through (outermost first). */
  embeddedIn: string[];
}

interface FieldDesc { name: string; label?: number; type?: number; typeName?: string; jsonName?: string }
interface MessageDesc { name: string; field?: FieldDesc[]; nestedType?: MessageDesc[]; options?: { mapEntry?: boolean } }
interface FileDesc { package: string; messageType?: MessageDesc[] }

const ANY_JSON = new Set([
  'k8s.io.apimachinery.pkg.runtime.RawExtension',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON',
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool',
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray',
  'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray',
]);
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
const SCHEMA_OR: Record<string, SchemaOr['list']> = {
  [`${APIEXT}.JSONSchemaPropsOrArray`]: 'schemas', [`${APIEXT}.JSONSchemaPropsOrBool`]: 'none', [`${APIEXT}.JSONSchemaPropsOrStringArray`]: 'strings',
};
const SPECIAL: Record<string, SpecialKind> = {
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'duration',
};
/** Go named `[]string` types that proto wraps as `message X { repeated string items = 1; }`. */
const STRING_LIST = /\.(ExtraValue|Verbs)$/;
/**
 * Proto field names of Go embedded (`json:",inline"`) structs, as the struct tags in the
 * kubectl 1.32 binary list them; only message-typed fields with these names are inline.
 */
export const INLINE_FIELDS: ReadonlySet<string> = new Set(['volumeSource', 'handler', 'localObjectReference', 'ingressRuleValue', 'persistentVolumeSource',
  'rule', 'ruleWithOperations', 'ephemeralContainerCommon', 'typeMeta', 'deviceConfiguration']);
/** Kinds without ObjectMeta/ListMeta that still embed TypeMeta. */
const TYPEMETA_NO_METADATA = /\.(DeleteOptions|CreateOptions|PatchOptions|UpdateOptions|GetOptions|ListOptions|Status|APIGroup|APIGroupList|APIVersions|APIResourceList|PodLogOptions|PodExecOptions|PodAttachOptions|PodProxyOptions|PodPortForwardOptions|NodeProxyOptions|ServiceProxyOptions)$/;
/** Types with a `metadata` field that do not embed TypeMeta. */
const NO_TYPEMETA = /\.(PodTemplateSpec|JobTemplateSpec|PersistentVolumeClaimTemplate)$/;

const SCALARS: Record<number, [ScalarKind, string]> = {
  1: ['double', 'float64'], 2: ['float', 'float32'], 3: ['int64', 'int64'], 4: ['uint64', 'uint64'], 5: ['int32', 'int32'],
  8: ['bool', 'bool'], 9: ['string', 'string'], 12: ['bytes', '[]uint8'], 13: ['uint32', 'uint32'], 14: ['int32', 'int32'],
  15: ['int32', 'int32'], 16: ['int64', 'int64'], 17: ['int32', 'int32'], 18: ['int64', 'int64'],
};

let messages: Map<string, MessageDesc> | undefined;
function allMessages(): Map<string, MessageDesc> {
  if (!messages) {
    const set = descriptorSet() as unknown as { file: FileDesc[] };
    messages = new Map();
    const add = (prefix: string, m: MessageDesc): void => {
      messages!.set(`${prefix}.${m.name}`, m);
      for (const n of m.nestedType ?? []) add(`${prefix}.${m.name}`, n);
    };
    for (const f of set.file) for (const m of f.messageType ?? []) add(f.package, m);
  }
  return messages;
}

/** `k8s.io.api.apps.v1.DeploymentSpec` → `v1.DeploymentSpec` (last package segment + name). */
export function goTypeName(message: string): string {
  const parts = message.split('.');
  return parts.slice(-2).join('.');
}

const cache = new Map<string, StructuralType>();

/**
 * The structural type of a fully-qualified message name (e.g. `k8s.io.api.apps.v1.Deployment`),
 * or undefined when descriptors.json has no such message. Results are cached; recursive
 * types share their ObjectType.
 */
export function structuralType(message: string): StructuralType | undefined {
  const name = message.replace(/^\./, '');
  const hit = cache.get(name);
  if (hit) return hit;
  const special = SPECIAL[name];
  if (special) return remember(name, { kind: special, goType: goTypeName(name) });
  const or = SCHEMA_OR[name];
  if (or) return remember(name, { kind: 'any', goType: goTypeName(name), schemaOr: { list: or, schema: () => structuralType(`${APIEXT}.JSONSchemaProps`) } });
  if (ANY_JSON.has(name)) return remember(name, { kind: 'any', goType: goTypeName(name) });
  const desc = allMessages().get(name);
  if (!desc) return undefined;
  if (STRING_LIST.test(name) && desc.field?.length === 1 && desc.field[0].label === 3 && desc.field[0].type === 9) {
    return remember(name, { kind: 'array', items: { kind: 'scalar', scalar: 'string', goType: 'string' }, goType: goTypeName(name) });
  }
  const obj: ObjectType = { kind: 'object', message: name, goType: goTypeName(name), structName: desc.name, fields: new Map() };
  remember(name, obj);
  const hasMeta = (desc.field ?? []).some((f) => f.name === 'metadata' && /\.meta\.v1\.(ObjectMeta|ListMeta)$/.test(f.typeName ?? ''));
  if ((hasMeta && !NO_TYPEMETA.test(name)) || TYPEMETA_NO_METADATA.test(name)) addTypeMeta(obj.fields, []);
  for (const f of desc.field ?? []) {
    const json = jsonNameOf(name, f.name);
    if (f.type === 11 && INLINE_FIELDS.has(f.name) && f.typeName) {
      const inner = structuralType(f.typeName);
      if (inner?.kind === 'object') {
        for (const [k, v] of inner.fields) obj.fields.set(k, { type: v.type, embeddedIn: [inner.structName, ...v.embeddedIn] });
        continue;
      }
    }
    obj.fields.set(json, { type: fieldType(f, desc), embeddedIn: [] });
  }
  return obj;
}

function remember(name: string, t: StructuralType): StructuralType {
  cache.set(name, t);
  return t;
}

/** Adds `apiVersion` and `kind` (metav1.TypeMeta, inline in Go). */
function addTypeMeta(fields: Map<string, StructField>, embeddedIn: string[]): void {
  const s: StructuralType = { kind: 'scalar', scalar: 'string', goType: 'string' };
  fields.set('kind', { type: s, embeddedIn: ['TypeMeta', ...embeddedIn] });
  fields.set('apiVersion', { type: s, embeddedIn: ['TypeMeta', ...embeddedIn] });
}

function singleType(type: number | undefined, typeName: string | undefined): StructuralType {
  if (type === 11 && typeName) return structuralType(typeName) ?? { kind: 'any', goType: goTypeName(typeName) };
  const [scalar, goType] = SCALARS[type ?? 9] ?? ['string', 'string'];
  return { kind: 'scalar', scalar, goType };
}

function fieldType(f: FieldDesc, owner: MessageDesc): StructuralType {
  if (f.label === 3 && f.type === 11 && f.typeName) {
    const entryName = f.typeName.split('.').pop();
    const entry = (owner.nestedType ?? []).find((n) => n.name === entryName && n.options?.mapEntry);
    if (entry) {
      const v = (entry.field ?? []).find((x) => x.name === 'value');
      const values = singleType(v?.type, v?.typeName);
      return { kind: 'map', values, goType: `map[string]${values.goType}` };
    }
  }
  const one = singleType(f.type, f.typeName);
  if (f.label !== 3) return one;
  return { kind: 'array', items: one, goType: `[]${one.goType}` };
}
