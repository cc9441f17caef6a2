/**
 * The OpenAPI v2 (Swagger 2.0) document served at /openapi/v2 (upstream
 * k8s.io/kube-openapi pkg/handler): one document for every served kind, as JSON
 * (`Accept: application/json`) and as the gnostic `openapi.v2.Document` protobuf
 * (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`), which is what
 * kubectl ≤ 1.28 fetches for `apply` (strategic-merge patch metadata, the
 * `fieldValidation` check) and `explain`.
 *
 * The JSON form is built first with only Swagger 2.0 keywords (schemas from
 * structural-schema.ts with `openApi: true`, or the kind's JSON schema normalized: no
 * `$`-keywords, int-or-string/quantity unions as strings, other unions dropped); the
 * protobuf is a mechanical encoding of that JSON with the descriptor extracted from
 * kubectl (src/api/protobuf/openapi-v2-descriptors.json, written by
 * scripts/gen-protobuf-descriptors.mjs). Vendor extensions (`x-…`), `default`, `example`
 * and `enum` values become `Any { yaml }` as gnostic writes them.
 */
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';
import YAML from 'yaml';
import type { ResourceDefinition } from '../api/resource-definition.js';
import { groupVersion } from '../api/resource-definition.js';
import { openApiRefs, openApiRefTarget, structuralSchema } from '../api/structural/structural-schema.js';

const require = createRequire(import.meta.url);

/**
 * Content type of the protobuf response. kubectl asks with `Accept:
 * application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, but upstream answers with
 * the `.v1.0` spelling: Go's mime.ParseMediaType rejects the `@` form, so client-go fails
 * with "mime: unexpected content after media subtype" if it is echoed back.
 */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** Whether an Accept header asks for the protobuf form (either spelling kubectl and upstream use). */
export const acceptsOpenApiV2Protobuf = (accept: string | undefined): boolean => !!accept && accept.includes('application/com.github.proto-openapi.spec.v2');

type Json = Record<string, unknown>;
type Gvk = { group: string; version: string; kind: string };

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Upstream's definition name: `io.k8s.api.apps.v1.Deployment` (CRDs: reversed group, `com.example.stable.v1.CronTab`). */
export function definitionName(def: ResourceDefinition): string {
  const m = def.protobufMessage;
  if (m?.startsWith('k8s.io.')) return `io.k8s.${m.slice('k8s.io.'.length).replace(/_/g, '-')}`;
  const g = def.info.group;
  if (!g || g.endsWith('.k8s.io') || !g.includes('.')) return `io.k8s.api.${g ? g.split('.')[0] : 'core'}.${def.info.version}.${def.info.kind}`;
  return `${g.split('.').reverse().join('.')}.${def.info.version}.${def.info.kind}`;
}

// ---------------------------------------------------------------------------------
// JSON Schema → Swagger 2.0 schema

const SCHEMA_KEYS = new Set([
  '$ref', 'format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum',
  'additionalProperties', 'type', 'items', 'allOf', 'properties', 'discriminator', 'readOnly', 'example',
]);

/** One Swagger type out of a JSON-Schema `type` (string or list; `null` ignored). */
const oneType = (t: unknown): string | undefined => {
  const ts = (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string' && x !== 'null');
  return ts.length === 1 ? ts[0] : undefined;
};

/**
 * Normalizes a JSON schema (TypeBox, CRD openAPIV3Schema or structural-schema output)
 * to the Swagger 2.0 subset that gnostic and kube-openapi's proto models read.
 */
export function toSwaggerSchema(input: unknown): Json {
  if (!isObj(input)) return {};
  let s: Json = input;
  // Unions: int-or-string and quantity become strings (as upstream publishes them);
  // `X | null` becomes X; unions of one type keep it; anything else is left untyped.
  const union = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as unknown[] | undefined;
  if (union && s.type === undefined) {
    const alts = union.filter((a) => !(isObj(a) && a.type === 'null'));
    const types = new Set(alts.map((a) => (isObj(a) ? oneType(a.type) : undefined)));
    const rest: Json = { ...s };
    delete rest.anyOf; delete rest.oneOf;
    if (s['x-kubernetes-int-or-string'] === true || (types.size === 2 && types.has('integer') && types.has('string'))) {
      s = { ...rest, type: 'string', format: s.format ?? 'int-or-string', 'x-kubernetes-int-or-string': true };
    } else if (s.format === 'quantity' || (types.size === 2 && types.has('number') && types.has('string'))) {
      s = { ...rest, type: 'string', format: s.format ?? 'quantity' };
    } else if (alts.length === 1 && isObj(alts[0])) {
      s = { ...rest, ...alts[0] };
      return toSwaggerSchema(s);
    } else if (types.size === 1 && !types.has(undefined) && ![...types][0]!.match(/^(object|array)$/)) {
      s = { ...rest, type: [...types][0] };
    } else {
      s = rest;
    }
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-')) { if (v !== undefined) out[k] = v; continue; }
    if (!SCHEMA_KEYS.has(k)) continue;
    switch (k) {
      case 'type': { const t = oneType(v); if (t) out.type = t; break; }
      case 'properties':
        if (isObj(v)) out.properties = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toSwaggerSchema(p)]));
        break;
      case 'items':
        out.items = Array.isArray(v) ? (v.length ? toSwaggerSchema(v[0]) : {}) : toSwaggerSchema(v);
        break;
      case 'additionalProperties':
        if (typeof v === 'boolean') out.additionalProperties = v;
        else if (isObj(v)) out.additionalProperties = toSwaggerSchema(v);
        break;
      case 'allOf': if (Array.isArray(v)) out.allOf = v.map(toSwaggerSchema); break;
      case 'exclusiveMaximum': case 'exclusiveMinimum':
        // JSON Schema draft 6+: a number; Swagger 2.0: a flag on maximum/minimum.
        if (typeof v === 'number') { out[k === 'exclusiveMaximum' ? 'maximum' : 'minimum'] = v; out[k] = true; } else if (typeof v === 'boolean') out[k] = v;
        break;
      case 'required': if (Array.isArray(v) && v.length) out.required = v.filter((x) => typeof x === 'string'); break;
      case 'enum': if (Array.isArray(v)) out.enum = v; break;
      case 'readOnly': case 'uniqueItems': if (typeof v === 'boolean') out[k] = v; break;
      case 'multipleOf': case 'maximum': case 'minimum': case 'maxLength': case 'minLength': case 'maxItems': case 'minItems':
      case 'maxProperties': case 'minProperties':
        if (typeof v === 'number' && out[k] === undefined) out[k] = v;
        break;
      case '$ref':
        // The JSON-Schema documents refer to `#/components/schemas/X` (OpenAPI v3); Swagger 2.0 to `#/definitions/X`.
        if (typeof v === 'string') out[k] = v.replace(/^#\/components\/schemas\//, '#/definitions/');
        break;
      case 'format': case 'title': case 'description': case 'pattern': case 'discriminator':
        if (typeof v === 'string') out[k] = v;
        break;
      default: if (v !== undefined) out[k] = v; // default, example
    }
  }
  if (s.const !== undefined && out.enum === undefined) out.enum = [s.const];
  if (out.type === undefined && out.properties) out.type = 'object';
  // kube-openapi rejects an array without items.
  if (out.type === 'array' && out.items === undefined) out.items = {};
  return out;
}

// ---------------------------------------------------------------------------------
// The document

const optionalSchema = (message: string): Json | undefined => {
  try { return toSwaggerSchema(structuralSchema(message, { openApi: true })); } catch { return undefined; }
};

const queryParam = (name: string, description: string, type = 'string'): Json => ({ uniqueItems: true, type, description, name, in: 'query' });
const PARAMS = {
  pretty: queryParam('pretty', "If 'true', then the output is pretty printed."),
  dryRun: queryParam('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict'),
  force: queryParam('force', 'Force is going to "force" Apply requests. It must be unset for non-apply patch requests.', 'boolean'),
  labelSelector: queryParam('labelSelector', 'A selector to restrict the list of returned objects by their labels.'),
  fieldSelector: queryParam('fieldSelector', 'A selector to restrict the list of returned objects by their fields.'),
  limit: queryParam('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: queryParam('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: queryParam('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  watch: queryParam('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  timeoutSeconds: queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  gracePeriodSeconds: queryParam('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: queryParam('propagationPolicy', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
  name: (what: string): Json => ({ uniqueItems: true, type: 'string', description: `name of the ${what}`, name: 'name', in: 'path', required: true }),
  namespace: { uniqueItems: true, type: 'string', description: 'object name and auth scope, such as for teams and projects', name: 'namespace', in: 'path', required: true } as Json,
};
const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });
const body = (name: string): Json => ({ name: 'body', in: 'body', required: true, schema: ref(name) });
const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const SCALE = 'io.k8s.api.autoscaling.v1.Scale';
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WRITE = () => [PARAMS.dryRun, PARAMS.fieldManager, PARAMS.fieldValidation];

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core` (upstream operationId parts). */
const opGroup = (group: string): string => (group ? group.replace(/\.k8s\.io$/, '').split('.') : ['core'])
  .map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Builds the Swagger 2.0 document (JSON form) for the served definitions. */
export function buildSwagger(defs: ResourceDefinition[]): Json {
  const paths: Record<string, Json> = {};
  const definitions: Record<string, Json> = {};
  const helpers: Record<string, Json> = {};
  const status = optionalSchema('k8s.io.apimachinery.pkg.apis.meta.v1.Status');
  helpers[STATUS] = { ...(status ?? { type: 'object' }), description: 'Status is a return value for calls that don\'t return other objects.', 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }] };
  helpers[PATCH] = { type: 'object', description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.' };
  const listMeta = optionalSchema('k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta') ?? { type: 'object' };
  let needScale = false;

  for (const def of defs) {
    const { group, version, kind, plural, namespaced } = def.info;
    const verbs = new Set(def.info.verbs);
    const gvk: Gvk = { group, version, kind };
    const name = definitionName(def);
    const listKind = def.info.listKind || `${kind}List`;
    const listName = `${name.slice(0, name.length - kind.length)}${listKind}`;
    const schema = toSwaggerSchema(def.protobufMessage ? structuralSchema(def.protobufMessage, { openApi: true }) : def.schema);
    definitions[name] = { ...schema, description: schema.description ?? `${kind} (${groupVersion(def.info)})`, 'x-kubernetes-group-version-kind': [gvk] };
    definitions[listName] = {
      description: `${listKind} is a list of ${kind}.`, type: 'object', required: ['items'],
      properties: {
        apiVersion: { description: 'APIVersion defines the versioned schema of this representation of an object.', type: 'string' },
        items: { description: `List of ${plural}.`, type: 'array', items: ref(name) },
        kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
        metadata: listMeta,
      },
      'x-kubernetes-group-version-kind': [{ group, version, kind: listKind }],
    };

    const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const base = `${prefix}${namespaced ? '/namespaces/{namespace}' : ''}/${plural}`;
    const opId = (verb: string, suffix = '') => `${verb}${opGroup(group)}${cap(version)}${namespaced ? 'Namespaced' : ''}${kind}${suffix}`;
    const tag = `${group ? group.replace(/\.k8s\.io$/, '').replace(/\./g, '') : 'core'}_${version}`;
    const op = (action: string, operationId: string, responses: Json, extra: Json = {}, k: Gvk = gvk): Json => ({
      description: `${action} ${kind}`, consumes: ['*/*'], produces: PRODUCES, schemes: ['https'], tags: [tag], operationId,
      ...extra, responses: { ...responses, 401: { description: 'Unauthorized' } },
      'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': k,
    });
    const ok = (n: string, codes = ['200']): Json => Object.fromEntries(codes.map((c) => [c, { description: c === '201' ? 'Created' : c === '202' ? 'Accepted' : 'OK', schema: ref(n) }]));
    const common = (extra: Json[] = []): Json[] => [...extra, ...(namespaced ? [PARAMS.namespace] : []), PARAMS.pretty];

    const collection: Json = { parameters: common() };
    if (verbs.has('list')) {
      collection.get = op('list', opId('list'), ok(listName), {
        parameters: [PARAMS.continue, PARAMS.fieldSelector, PARAMS.labelSelector, PARAMS.limit, PARAMS.resourceVersion, PARAMS.timeoutSeconds, PARAMS.watch],
        produces: [...PRODUCES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'],
      });
    }
    if (verbs.has('create')) collection.post = op('post', opId('create'), ok(name, ['200', '201', '202']), { parameters: [body(name), ...WRITE()] });
    if (verbs.has('deletecollection')) {
      collection.delete = op('deletecollection', opId('deleteCollection'), ok(STATUS), {
        parameters: [PARAMS.continue, PARAMS.dryRun, PARAMS.fieldSelector, PARAMS.gracePeriodSeconds, PARAMS.labelSelector, PARAMS.limit, PARAMS.propagationPolicy, PARAMS.resourceVersion, PARAMS.timeoutSeconds],
      });
    }
    if (Object.keys(collection).length > 1) paths[base] = collection;

    const item: Json = { parameters: common([PARAMS.name(kind)]) };
    if (verbs.has('get')) item.get = op('get', opId('read'), ok(name));
    if (verbs.has('update')) item.put = op('put', opId('replace'), ok(name, ['200', '201']), { parameters: [body(name), ...WRITE()] });
    if (verbs.has('patch')) {
      item.patch = op('patch', opId('patch'), ok(name, ['200', '201']), { consumes: PATCH_TYPES, parameters: [body(PATCH), ...WRITE(), PARAMS.force] });
    }
    if (verbs.has('delete')) {
      item.delete = op('delete', opId('delete'), ok(STATUS, ['200', '202']), { parameters: [PARAMS.dryRun, PARAMS.gracePeriodSeconds, PARAMS.propagationPolicy] });
    }
    if (Object.keys(item).length > 1) paths[`${base}/{name}`] = item;

    const subs = new Set(def.info.subresources ?? []);
    for (const sub of ['scale', 'status'] as const) {
      if (!subs.has(sub)) continue;
      const target = sub === 'scale' ? SCALE : name;
      const k: Gvk = sub === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : gvk;
      if (sub === 'scale') needScale = true;
      const suffix = cap(sub);
      paths[`${base}/{name}/${sub}`] = {
        parameters: common([PARAMS.name(sub === 'scale' ? 'Scale' : kind)]),
        get: op('get', opId('read', suffix), ok(target), {}, k),
        put: op('put', opId('replace', suffix), ok(target, ['200', '201']), { parameters: [body(target), ...WRITE()] }, k),
        patch: op('patch', opId('patch', suffix), ok(target, ['200', '201']), { consumes: PATCH_TYPES, parameters: [body(PATCH), ...WRITE(), PARAMS.force] }, k),
      };
    }
  }
  if (needScale) {
    helpers[SCALE] = { ...(optionalSchema('k8s.io.api.autoscaling.v1.Scale') ?? { type: 'object' }), description: 'Scale represents a scaling request for a resource.', 'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }] };
  }
  // Served kinds win over the helper definitions of the same name.
  for (const [n, s] of Object.entries(helpers)) definitions[n] ??= s;
  // Definitions that recursive schemas refer to (apiextensions' JSONSchemaProps).
  for (let added = true; added;) {
    added = false;
    for (const n of openApiRefs(definitions, new Set(), '#/definitions/')) {
      const message = openApiRefTarget(n);
      if (definitions[n] || !message) continue;
      definitions[n] = toSwaggerSchema(structuralSchema(message, { openApi: true }));
      added = true;
    }
  }
  const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths: sorted(paths),
    definitions: sorted(definitions),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

// ---------------------------------------------------------------------------------
// JSON → openapi.v2.Document (gnostic)

const yaml = (v: unknown): string => YAML.stringify(v, { version: '1.1', lineWidth: 0 });
const anyOf = (v: unknown): Json => ({ yaml: yaml(v) });
const extensions = (o: Json): Json[] => Object.entries(o).filter(([k, v]) => k.startsWith('x-') && v !== undefined).map(([name, v]) => ({ name, value: anyOf(v) }));
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
/** Copies `from` keys that are set into `to` under snake_case names. */
const copy = (to: Json, from: Json, keys: string[]): Json => {
  for (const k of keys) if (from[k] !== undefined) to[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = from[k];
  return to;
};

function pbSchema(s: Json): Json {
  const m: Json = {};
  if (typeof s.$ref === 'string') m._ref = s.$ref;
  copy(m, s, ['format', 'title', 'description', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength',
    'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'discriminator', 'readOnly']);
  if (s.required !== undefined) m.required = strs(s.required);
  if (s.default !== undefined) m.default = anyOf(s.default);
  if (s.example !== undefined) m.example = anyOf(s.example);
  if (Array.isArray(s.enum)) m.enum = s.enum.map(anyOf);
  if (typeof s.additionalProperties === 'boolean') m.additional_properties = { boolean: s.additionalProperties };
  else if (isObj(s.additionalProperties)) m.additional_properties = { schema: pbSchema(s.additionalProperties) };
  if (typeof s.type === 'string') m.type = { value: [s.type] };
  if (isObj(s.items)) m.items = { schema: [pbSchema(s.items)] };
  if (Array.isArray(s.allOf)) m.all_of = s.allOf.filter(isObj).map(pbSchema);
  if (isObj(s.properties)) m.properties = { additional_properties: Object.entries(s.properties).map(([name, v]) => ({ name, value: pbSchema(isObj(v) ? v : {}) })) };
  const ext = extensions(s);
  if (ext.length) m.vendor_extension = ext;
  return m;
}

const NON_BODY_KEYS = ['required', 'in', 'description', 'name', 'type', 'format', 'collectionFormat', 'maximum', 'exclusiveMaximum', 'minimum',
  'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf'];
function pbParameter(p: Json): Json {
  if (typeof p.$ref === 'string') return { json_reference: { _ref: p.$ref } };
  if (p.in === 'body') {
    return { parameter: { body_parameter: copy({ schema: pbSchema(isObj(p.schema) ? p.schema : {}), vendor_extension: extensions(p) }, p, ['description', 'name', 'in', 'required']) } };
  }
  const sub = copy({ vendor_extension: extensions(p) }, p, p.in === 'formData' ? [...NON_BODY_KEYS, 'allowEmptyValue'] : p.in === 'query' ? [...NON_BODY_KEYS, 'allowEmptyValue'] : NON_BODY_KEYS);
  if (p.default !== undefined) sub.default = anyOf(p.default);
  if (Array.isArray(p.enum)) sub.enum = p.enum.map(anyOf);
  const which = { header: 'header_parameter_sub_schema', formData: 'form_data_parameter_sub_schema', query: 'query_parameter_sub_schema', path: 'path_parameter_sub_schema' }[String(p.in)];
  if (!which) throw new Error(`openapi v2: parameter ${String(p.name)} in ${String(p.in)}`);
  return { parameter: { non_body_parameter: { [which]: sub } } };
}

function pbOperation(o: Json): Json {
  const m = copy({}, o, ['summary', 'description', 'operationId', 'deprecated']);
  for (const k of ['tags', 'produces', 'consumes', 'schemes'] as const) if (o[k] !== undefined) m[k] = strs(o[k]);
  if (Array.isArray(o.parameters)) m.parameters = o.parameters.filter(isObj).map(pbParameter);
  if (isObj(o.responses)) {
    m.responses = {
      response_code: Object.entries(o.responses).filter(([k]) => !k.startsWith('x-')).map(([name, r]) => {
        const rr = isObj(r) ? r : {};
        if (typeof rr.$ref === 'string') return { name, value: { json_reference: { _ref: rr.$ref } } };
        const response: Json = { description: typeof rr.description === 'string' ? rr.description : '' };
        if (isObj(rr.schema)) response.schema = { schema: pbSchema(rr.schema) };
        return { name, value: { response } };
      }),
      vendor_extension: extensions(o.responses),
    };
  }
  m.vendor_extension = extensions(o);
  return m;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;
function pbDocument(d: Json): Json {
  const info = isObj(d.info) ? d.info : {};
  const doc: Json = {
    swagger: d.swagger,
    info: { ...copy({}, info, ['title', 'version', 'description', 'termsOfService']), vendor_extension: extensions(info) },
    vendor_extension: extensions(d),
  };
  copy(doc, d, ['host', 'basePath']);
  for (const k of ['schemes', 'consumes', 'produces'] as const) if (d[k] !== undefined) doc[k] = strs(d[k]);
  const paths = isObj(d.paths) ? d.paths : {};
  doc.paths = {
    vendor_extension: extensions(paths),
    path: Object.entries(paths).filter(([k]) => !k.startsWith('x-')).map(([name, item]) => {
      const it = isObj(item) ? item : {};
      const value: Json = { vendor_extension: extensions(it) };
      if (typeof it.$ref === 'string') value._ref = it.$ref;
      for (const meth of METHODS) if (isObj(it[meth])) value[meth] = pbOperation(it[meth] as Json);
      if (Array.isArray(it.parameters)) value.parameters = it.parameters.filter(isObj).map(pbParameter);
      return { name, value };
    }),
  };
  if (isObj(d.definitions)) {
    doc.definitions = { additional_properties: Object.entries(d.definitions).map(([name, s]) => ({ name, value: pbSchema(isObj(s) ? s : {}) })) };
  }
  if (isObj(d.securityDefinitions)) {
    doc.security_definitions = {
      additional_properties: Object.entries(d.securityDefinitions).filter(([, s]) => isObj(s) && (s as Json).type === 'apiKey').map(([name, s]) => ({
        name, value: { api_key_security: { ...copy({}, s as Json, ['type', 'name', 'in', 'description']), vendor_extension: extensions(s as Json) } },
      })),
    };
  }
  if (Array.isArray(d.security)) {
    doc.security = d.security.filter(isObj).map((r) => ({ additional_properties: Object.entries(r).map(([name, v]) => ({ name, value: { value: strs(v) ?? [] } })) }));
  }
  return doc;
}

let documentType: protobuf.Type | undefined;
/** The gnostic `openapi.v2.Document` message type (from openapi-v2-descriptors.json). */
export function openApiV2DocumentType(): protobuf.Type {
  if (!documentType) {
    const root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor(require('../api/protobuf/openapi-v2-descriptors.json'));
    root.resolveAll();
    documentType = root.lookupType('openapi.v2.Document');
  }
  return documentType;
}

/** Encodes a Swagger 2.0 JSON document as a gnostic `openapi.v2.Document`. */
export function encodeOpenApiV2(doc: unknown): Buffer {
  const T = openApiV2DocumentType();
  const obj = pbDocument(isObj(doc) ? doc : {});
  const err = T.verify(obj);
  if (err) throw new Error(`openapi v2: ${err}`);
  return Buffer.from(T.encode(T.fromObject(obj)).finish());
}

/** The /openapi/v2 document for the served definitions, as JSON and as gnostic protobuf. */
export function buildOpenApiV2(defs: ResourceDefinition[]): { json: unknown; protobuf: Buffer } {
  const json = buildSwagger(defs);
  return { json, protobuf: encodeOpenApiV2(json) };
}
