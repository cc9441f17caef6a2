/**
 * Validation of apiextensions.k8s.io/v1 CustomResourceDefinition, following upstream
 * v1.32 (apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go and
 * pkg/apiserver/schema/validation.go for the structural-schema rules) with its field
 * paths and messages: name `<plural>.<group>`, group a DNS subdomain with a dot, scope,
 * version names (DNS-1035, unique, exactly one storage version), names, schemas
 * (required, structural, OpenAPI restrictions), printer columns, conversion, stored
 * versions and the API approval annotation of protected groups.
 * Not reproduced: default-value validation, CEL rules (x-kubernetes-validations are not
 * compiled), selectable-field path resolution, structural completeness of value
 * validations.
 */
import {
  forbiddenField, GoLiteral, formatFieldError, invalidValue, notSupported, required, type FieldError,
} from '../../../machinery/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../../machinery/validation.js';

type Json = Record<string, any>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** upstream validateEnumStrings. */
function enumString(field: string, value: unknown, accepted: string[]): FieldError[] {
  if (value === undefined || value === null || value === '') return [required(field, '')];
  return accepted.includes(String(value)) ? [] : [notSupported(field, value, accepted)];
}

// ---------------------------------------------------------------------------------
// The Go rendering of spec.versions in `spec.versions: Invalid value: ...` messages

const goStr = (v: unknown): string => JSON.stringify(typeof v === 'string' ? v : '');
const goPtr = (type: string, v: unknown): string => (v === undefined || v === null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`);
function goVersion(v: Json): string {
  const cols = Array.isArray(v.additionalPrinterColumns) && v.additionalPrinterColumns.length
    ? `[]apiextensions.CustomResourceColumnDefinition{${v.additionalPrinterColumns.map((c: Json) =>
      `apiextensions.CustomResourceColumnDefinition{Name:${goStr(c?.name)}, Type:${goStr(c?.type)}, Format:${goStr(c?.format)}, Description:${goStr(c?.description)}, Priority:${Number(c?.priority ?? 0)}, JSONPath:${goStr(c?.jsonPath)}}`).join(', ')}}`
    : '[]apiextensions.CustomResourceColumnDefinition(nil)';
  const sel = Array.isArray(v.selectableFields) && v.selectableFields.length
    ? `[]apiextensions.SelectableField{${v.selectableFields.map((s: Json) => `apiextensions.SelectableField{JSONPath:${goStr(s?.jsonPath)}}`).join(', ')}}`
    : '[]apiextensions.SelectableField(nil)';
  return `apiextensions.CustomResourceDefinitionVersion{Name:${goStr(v.name)}, Served:${v.served === true}, Storage:${v.storage === true}, `
    + `Deprecated:${v.deprecated === true}, DeprecationWarning:${goPtr('string', v.deprecationWarning)}, `
    + `Schema:${goPtr('apiextensions.CustomResourceValidation', v.schema)}, Subresources:${goPtr('apiextensions.CustomResourceSubresources', v.subresources)}, `
    + `AdditionalPrinterColumns:${cols}, SelectableFields:${sel}}`;
}
/**
 * `%#v` of the internal `[]apiextensions.CustomResourceDefinitionVersion` (pointers print
 * as addresses upstream, which differ from run to run; a fixed one is printed here).
 */
export const goVersions = (versions: Json[]): GoLiteral =>
  new GoLiteral(versions.length ? `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(goVersion).join(', ')}}` : '[]apiextensions.CustomResourceDefinitionVersion(nil)');

// ---------------------------------------------------------------------------------
// Schemas

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const key = (path: string, k: string): string => `${path}[${k}]`;
const sortedKeys = (o: unknown): string[] => (isObj(o) ? Object.keys(o).sort() : []);

/** Whether `s.items` / `s.additionalProperties` hold a schema (not a bool or a list). */
const itemsSchema = (s: Json): Json | undefined => (isObj(s.items) ? s.items : undefined);
const additionalSchema = (s: Json): Json | undefined => (isObj(s.additionalProperties) ? s.additionalProperties : undefined);

type Level = 'root' | 'item' | 'field';
const INT_OR_STRING_ANY_OF = (v: unknown): boolean => Array.isArray(v) && v.length === 2
  && isObj(v[0]) && Object.keys(v[0]).length === 1 && v[0].type === 'integer'
  && isObj(v[1]) && Object.keys(v[1]).length === 1 && v[1].type === 'string';

/** upstream schema.validateStructuralInvariants (on the structural part of a JSONSchemaProps). */
function structuralInvariants(s: Json | undefined, lvl: Level, path: string): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  const type = typeof s.type === 'string' ? s.type : '';
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (type === 'array' && s.items === undefined) errs.push(required(`${path}.items`, 'must be specified'));
  errs.push(...structuralInvariants(itemsSchema(s), 'item', `${path}.items`));
  for (const k of sortedKeys(s.properties)) {
    const p = s.properties[k];
    if (isObj(p)) errs.push(...structuralInvariants(p, 'field', key(`${path}.properties`, k)));
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (lvl === 'root') errs.push(forbiddenField(`${path}.additionalProperties`, 'must not be used at the root'));
    errs.push(...structuralInvariants(additionalSchema(s), 'field', `${path}.additionalProperties`));
  }
  if (intOrString && preserve) errs.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(invalidValue(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  const skipAnyOf = INT_OR_STRING_ANY_OF(s.anyOf);
  const skipFirstAllOfAnyOf = Array.isArray(s.allOf) && isObj(s.allOf[0]) && INT_OR_STRING_ANY_OF(s.allOf[0].anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, path));
  const checkMetadata = lvl === 'root' || embedded;
  if (embedded && type !== 'object') {
    errs.push(type ? invalidValue(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true')
      : required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!type && !intOrString && !preserve) {
    errs.push(required(`${path}.type`, lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields'));
  }
  if (embedded && s.additionalProperties !== undefined && s.additionalProperties !== null) {
    errs.push(forbiddenField(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && type && type !== 'object') errs.push(invalidValue(`${path}.type`, type, 'must be object at the root'));
  const props = isObj(s.properties) ? s.properties : {};
  if (checkMetadata && isObj(props.kind) && props.kind.type !== 'string') errs.push(invalidValue(`${path}.properties[kind].type`, props.kind.type ?? '', 'must be string'));
  if (checkMetadata && isObj(props.apiVersion) && props.apiVersion.type !== 'string') errs.push(invalidValue(`${path}.properties[apiVersion].type`, props.apiVersion.type ?? '', 'must be string'));
  if (checkMetadata && isObj(props.metadata) && props.metadata.type !== 'object') errs.push(invalidValue(`${path}.properties[metadata].type`, props.metadata.type ?? '', 'must be object'));
  if (lvl === 'root' && isObj(props.metadata)) {
    const { type: _t, default: _d, properties, ...rest } = props.metadata;
    const names = sortedKeys(properties);
    const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
    // Value validations on metadata itself are allowed; anything structural beyond name/generateName is not.
    const structuralRest = Object.keys(rest).some((k) => !['description', 'title', 'example', 'nullable', 'format', 'enum', 'maxProperties', 'minProperties',
      'required', 'allOf', 'anyOf', 'oneOf', 'not', 'x-kubernetes-validations'].includes(k));
    if (!onlyNames || structuralRest) {
      errs.push(forbiddenField(`${path}.properties[metadata]`, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  if (embedded && !preserve && sortedKeys(s.properties).length === 0) {
    errs.push(required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** upstream validateValueValidation: junctors (anyOf/allOf/oneOf/not) may only hold value validations. */
function valueValidation(s: Json, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf && Array.isArray(s.anyOf)) s.anyOf.forEach((x: unknown, i: number) => errs.push(...nested(x, false, `${path}.anyOf[${i}]`)));
  if (Array.isArray(s.allOf)) s.allOf.forEach((x: unknown, i: number) => errs.push(...nested(x, skipFirstAllOfAnyOf && i === 0, `${path}.allOf[${i}]`)));
  if (Array.isArray(s.oneOf)) s.oneOf.forEach((x: unknown, i: number) => errs.push(...nested(x, false, `${path}.oneOf[${i}]`)));
  if (s.not !== undefined) errs.push(...nested(s.not, false, `${path}.not`));
  if (typeof s.pattern === 'string' && s.pattern) {
    try { new RegExp(s.pattern, 'u'); } catch (e) {
      errs.push(invalidValue(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  return errs;
}

function nested(v: unknown, skipAnyOf: boolean, path: string): FieldError[] {
  if (!isObj(v)) return [];
  const errs = valueValidation(v, skipAnyOf, false, path);
  if (isObj(v.items)) errs.push(...nested(v.items, false, `${path}.items`));
  for (const k of sortedKeys(v.properties)) errs.push(...nested(v.properties[k], false, key(`${path}.properties`, k)));
  if (typeof v.type === 'string' && v.type) errs.push(forbiddenField(`${path}.type`, 'must be empty to be structural'));
  if (v.additionalProperties !== undefined && v.additionalProperties !== null) errs.push(forbiddenField(`${path}.additionalProperties`, 'must be undefined to be structural'));
  if (v.default !== undefined && v.default !== null) errs.push(forbiddenField(`${path}.default`, 'must be undefined to be structural'));
  if (v.title) errs.push(forbiddenField(`${path}.title`, 'must be empty to be structural'));
  if (v.description) errs.push(forbiddenField(`${path}.description`, 'must be empty to be structural'));
  if (v.nullable === true) errs.push(forbiddenField(`${path}.nullable`, 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields'] === true) errs.push(forbiddenField(`${path}.x-kubernetes-preserve-unknown-fields`, 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource'] === true) errs.push(forbiddenField(`${path}.x-kubernetes-embedded-resource`, 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string'] === true) errs.push(forbiddenField(`${path}.x-kubernetes-int-or-string`, 'must be false to be structural'));
  if (Array.isArray(v['x-kubernetes-list-map-keys']) && v['x-kubernetes-list-map-keys'].length) errs.push(forbiddenField(`${path}.x-kubernetes-list-map-keys`, 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined && v['x-kubernetes-list-type'] !== null) errs.push(forbiddenField(`${path}.x-kubernetes-list-type`, 'must be undefined to be structural'));
  if (isObj(v.properties) && 'metadata' in v.properties) errs.push(forbiddenField(`${path}.properties[metadata]`, 'must not be specified in a nested context'));
  return errs;
}

/** upstream ValidateCustomResourceDefinitionOpenAPISchema (with specStandardValidatorV3). */
function openApiSchema(s: unknown, path: string): FieldError[] {
  if (!isObj(s)) return [];
  const errs: FieldError[] = [];
  // specStandardValidatorV3.validate
  if (s.id) errs.push(forbiddenField(`${path}.id`, 'id is not supported'));
  if (s.additionalItems !== undefined && s.additionalItems !== null) errs.push(forbiddenField(`${path}.additionalItems`, 'additionalItems is not supported'));
  if (sortedKeys(s.patternProperties).length) errs.push(forbiddenField(`${path}.patternProperties`, 'patternProperties is not supported'));
  if (sortedKeys(s.definitions).length) errs.push(forbiddenField(`${path}.definitions`, 'definitions is not supported'));
  if (s.dependencies !== undefined && s.dependencies !== null) errs.push(forbiddenField(`${path}.dependencies`, 'dependencies is not supported'));
  if (typeof s.$ref === 'string') errs.push(forbiddenField(`${path}.$ref`, '$ref is not supported'));
  if (s.type === 'null') errs.push(forbiddenField(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(forbiddenField(`${path}.items`, 'items must be a schema object and not an array'));
  if (typeof s.type === 'string' && s.type && s.type !== 'null' && !OPENAPI_V3_TYPES.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, OPENAPI_V3_TYPES));

  if (s.uniqueItems === true) errs.push(forbiddenField(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (sortedKeys(s.properties).length && (s.additionalProperties === false || isObj(s.additionalProperties))) {
      errs.push(forbiddenField(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
    }
    errs.push(...openApiSchema(additionalSchema(s), `${path}.additionalProperties`));
  }
  for (const k of sortedKeys(s.properties)) errs.push(...openApiSchema(s.properties[k], key(`${path}.properties`, k)));
  errs.push(...openApiSchema(s.not, `${path}.not`));
  for (const j of ['allOf', 'oneOf', 'anyOf'] as const) if (Array.isArray(s[j])) s[j].forEach((x: unknown, i: number) => errs.push(...openApiSchema(x, `${path}.${j}[${i}]`)));
  for (const k of sortedKeys(s.definitions)) errs.push(...openApiSchema(s.definitions[k], key(`${path}.definitions`, k)));
  if (isObj(s.items)) errs.push(...openApiSchema(s.items, `${path}.items`));
  else if (Array.isArray(s.items)) s.items.forEach((x: unknown, i: number) => errs.push(...openApiSchema(x, `${path}.items[${i}]`)));
  for (const k of sortedKeys(s.dependencies)) if (isObj(s.dependencies[k])) errs.push(...openApiSchema(s.dependencies[k], key(`${path}.dependencies`, k)));

  const type = typeof s.type === 'string' ? s.type : '';
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalidValue(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && mapType !== null && type !== 'object') {
    errs.push(type ? invalidValue(`${path}.type`, type, 'must be object if x-kubernetes-map-type is specified') : required(`${path}.type`, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== null && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(`${path}.x-kubernetes-map-type`, mapType, ['atomic', 'granular']));
  const listType = s['x-kubernetes-list-type'];
  const hasListType = listType !== undefined && listType !== null;
  if (hasListType && type !== 'array') {
    errs.push(type ? invalidValue(`${path}.type`, type, 'must be array if x-kubernetes-list-type is specified') : required(`${path}.type`, 'must be array if x-kubernetes-list-type is specified'));
  }
  if (hasListType && !['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(`${path}.x-kubernetes-list-type`, listType, ['atomic', 'set', 'map']));
  const mapKeys = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
  if (mapKeys.length) {
    if (!hasListType) errs.push(required(`${path}.x-kubernetes-list-type`, 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(invalidValue(`${path}.x-kubernetes-list-type`, listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (!mapKeys.length) errs.push(required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined || s.items === null) errs.push(required(`${path}.items`, 'must have a schema if x-kubernetes-list-type is map'));
  }
  return errs;
}

/** The checks of one version's `schema` (upstream validateCustomResourceDefinitionValidation). */
export function validateVersionSchema(schema: unknown, statusEnabled: boolean, path: string): FieldError[] {
  if (!isObj(schema) || !isObj(schema.openAPIV3Schema)) return [];
  const s = schema.openAPIV3Schema;
  const errs: FieldError[] = [];
  if (statusEnabled && typeof s.type === 'string' && s.type && s.type !== 'object') {
    errs.push(invalidValue(`${path}.openAPIV3Schema.type`, s.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
  }
  if (s.nullable === true) errs.push(forbiddenField(`${path}.openAPIV3Schema.nullable`, 'nullable cannot be true at the root'));
  const structural = structuralInvariants(s, 'root', `${path}.openAPIV3Schema`);
  const text = new Map(structural.map((e) => [e, formatFieldError(e)]));
  structural.sort((a, b) => (text.get(a)! < text.get(b)! ? -1 : text.get(a)! > text.get(b)! ? 1 : 0));
  errs.push(...structural);
  errs.push(...openApiSchema(s, `${path}.openAPIV3Schema`));
  return errs;
}

// ---------------------------------------------------------------------------------
// The rest of the spec

/** upstream ValidateCustomResourceDefinitionNames. */
export function validateNames(names: Json | undefined, path: string): FieldError[] {
  const n = names ?? {};
  const errs: FieldError[] = [];
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const label = (field: string, v: string, prefix = ''): void => {
    const msgs = isDNS1035Label(prefix ? v.toLowerCase() : v);
    if (v && msgs.length) errs.push(invalidValue(`${path}.${field}`, v, prefix + msgs.join(',')));
  };
  label('plural', str(n.plural));
  label('singular', str(n.singular));
  label('kind', str(n.kind), 'may have mixed case, but should otherwise match: ');
  label('listKind', str(n.listKind), 'may have mixed case, but should otherwise match: ');
  (Array.isArray(n.shortNames) ? n.shortNames : []).forEach((s: unknown, i: number) => {
    const msgs = isDNS1035Label(str(s));
    if (msgs.length) errs.push(invalidValue(`${path}.shortNames[${i}]`, str(s), msgs.join(',')));
  });
  if (str(n.kind) && n.kind === n.listKind) errs.push(invalidValue(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  (Array.isArray(n.categories) ? n.categories : []).forEach((c: unknown, i: number) => {
    const msgs = isDNS1035Label(str(c));
    if (msgs.length) errs.push(invalidValue(`${path}.categories[${i}]`, str(c), msgs.join(',')));
  });
  return errs;
}

const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'name', 'password'];

/** upstream ValidateCustomResourceColumnDefinition (JSONPath checked for a leading `.` only). */
function validateColumn(c: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${path}.name`, ''));
  if (!c.type) errs.push(required(`${path}.type`, `must be one of ${PRINTER_TYPES.join(',')}`));
  else if (!PRINTER_TYPES.includes(c.type)) errs.push(invalidValue(`${path}.type`, c.type, `must be one of ${PRINTER_TYPES.join(',')}`));
  if (c.format && !PRINTER_FORMATS.includes(c.format)) errs.push(invalidValue(`${path}.format`, c.format, `must be one of ${PRINTER_FORMATS.join(',')}`));
  if (!c.jsonPath) errs.push(required(`${path}.JSONPath`, ''));
  else if (typeof c.jsonPath === 'string' && !c.jsonPath.startsWith('.')) errs.push(invalidValue(`${path}.JSONPath`, c.jsonPath, 'must be a simple json path starting with .'));
  return errs;
}

/** upstream ValidateCustomResourceDefinitionSubresources (scale paths). */
function validateSubresources(sub: unknown, path: string): FieldError[] {
  if (!isObj(sub) || !isObj(sub.scale)) return [];
  const scale = sub.scale;
  const errs: FieldError[] = [];
  const simple = (field: string, v: unknown, under: string[], req: boolean): void => {
    if (typeof v !== 'string' || !v) { if (req) errs.push(required(`${path}.scale.${field}`, '')); return; }
    if (!v.startsWith('.') || /[[\]]/.test(v)) errs.push(invalidValue(`${path}.scale.${field}`, v, 'must be a simple json path starting with .'));
    else if (!under.some((u) => v.startsWith(`${u}.`))) errs.push(invalidValue(`${path}.scale.${field}`, v, `should be a json path under ${under.join(' or ')}`));
  };
  simple('specReplicasPath', scale.specReplicasPath, ['.spec'], true);
  simple('statusReplicasPath', scale.statusReplicasPath, ['.status'], true);
  simple('labelSelectorPath', scale.labelSelectorPath, ['.spec', '.status'], false);
  return errs;
}

/** upstream validateDeprecationWarning. */
function deprecationWarning(v: Json, path: string): FieldError[] {
  const w = v.deprecationWarning;
  if (w === undefined || w === null) return [];
  const msgs: string[] = [];
  if (v.deprecated !== true) msgs.push('can only be set for deprecated versions');
  else {
    const s = String(w);
    if (Buffer.byteLength(s) > 256) msgs.push('must be <= 256 characters long');
    if (!s) msgs.push('must not be an empty string');
    let i = 0;
    for (const ch of s) {
      if (/\p{Cc}/u.test(ch)) { msgs.push(`must only contain printable UTF-8 characters; control character found at index ${i}`); break; }
      i += Buffer.byteLength(ch);
    }
  }
  return msgs.map((m) => invalidValue(`${path}.deprecationWarning`, w, m));
}

const isPortNum = (p: unknown): boolean => Number.isInteger(p) && (p as number) >= 1 && (p as number) <= 65535;

/** upstream validateCustomResourceConversion. */
function validateConversion(conv: unknown, path: string): FieldError[] {
  if (!isObj(conv)) return [];
  const errs = enumString(`${path}.strategy`, conv.strategy, ['None', 'Webhook']);
  const webhook = isObj(conv.webhook) ? conv.webhook : undefined;
  const cc = webhook && isObj(webhook.clientConfig) ? webhook.clientConfig : undefined;
  const reviewVersions = webhook && Array.isArray(webhook.conversionReviewVersions) ? webhook.conversionReviewVersions : [];
  if (conv.strategy === 'Webhook') {
    if (!cc) errs.push(required(`${path}.webhookClientConfig`, 'required when strategy is set to Webhook'));
    else if ((cc.url === undefined || cc.url === null) === (cc.service === undefined || cc.service === null)) {
      errs.push(required(`${path}.webhookClientConfig`, 'exactly one of url or service is required'));
    } else if (typeof cc.url === 'string') errs.push(...webhookUrl(`${path}.webhookClientConfig.url`, cc.url));
    else if (isObj(cc.service)) {
      const p = `${path}.webhookClientConfig.service`;
      if (!cc.service.name) errs.push(required(`${p}.name`, 'service name is required'));
      if (!cc.service.namespace) errs.push(required(`${p}.namespace`, 'service namespace is required'));
      if (cc.service.port !== undefined && !isPortNum(cc.service.port)) errs.push(invalidValue(`${p}.port`, cc.service.port, 'port is not valid: must be between 1 and 65535, inclusive'));
      if (typeof cc.service.path === 'string' && cc.service.path && !cc.service.path.startsWith('/')) errs.push(invalidValue(`${p}.path`, cc.service.path, "must start with a '/'"));
    }
    const rp = `${path}.conversionReviewVersions`;
    if (!reviewVersions.length) errs.push(required(rp, ''));
    else {
      const seen = new Set<string>();
      let accepted = false;
      reviewVersions.forEach((v: unknown, i: number) => {
        const s = String(v);
        if (seen.has(s)) { errs.push(invalidValue(`${rp}[${i}]`, s, 'duplicate version')); return; }
        seen.add(s);
        for (const m of isDNS1035Label(s)) errs.push(invalidValue(`${rp}[${i}]`, s, m));
        if (s === 'v1' || s === 'v1beta1') accepted = true;
      });
      if (!accepted) errs.push(invalidValue(rp, reviewVersions.map(String), 'must include at least one of v1, v1beta1'));
    }
  } else {
    if (cc) errs.push(forbiddenField(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'));
    if (reviewVersions.length) errs.push(forbiddenField(`${path}.conversionReviewVersions`, 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

/** upstream webhook.ValidateWebhookURL with forceHttps. */
function webhookUrl(path: string, raw: string): FieldError[] {
  let u: URL;
  try { u = new URL(raw); } catch { return [invalidValue(path, raw, `host must be specified`)]; }
  const errs: FieldError[] = [];
  if (u.protocol !== 'https:') errs.push(invalidValue(path, u.protocol.replace(/:$/, ''), "'https' is the only allowed URL scheme"));
  if (!u.host) errs.push(invalidValue(path, raw, 'host must be specified'));
  if (u.username || u.password) errs.push(invalidValue(path, `${u.username}:${u.password}`, 'user information is not permitted in the URL'));
  if (u.hash || raw.includes('#')) errs.push(invalidValue(path, u.hash.replace(/^#/, ''), 'fragments are not permitted in the URL'));
  if (u.search) errs.push(invalidValue(path, u.search.replace(/^\?/, ''), 'query parameters are not permitted in the URL'));
  return errs;
}

/** Groups only approved Kubernetes APIs may use (upstream apihelpers.IsProtectedCommunityGroup). */
const isProtectedGroup = (g: string): boolean => g === 'k8s.io' || g === 'kubernetes.io' || g.endsWith('.k8s.io') || g.endsWith('.kubernetes.io');
const APPROVAL = 'api-approved.kubernetes.io';

/** upstream validateAPIApproval (create: oldCRD nil). */
function validateApproval(crd: Json): FieldError[] {
  const group = String(crd.spec?.group ?? '');
  if (!isProtectedGroup(group)) return [];
  const value = crd.metadata?.annotations?.[APPROVAL];
  const field = `metadata.annotations[${APPROVAL}]`;
  if (value === undefined) {
    return [invalidValue(field, '', `protected groups must have approval annotation "${APPROVAL}", see https://github.com/kubernetes/enhancements/pull/1111`)];
  }
  let ok = String(value).startsWith('unapproved');
  if (!ok) { try { ok = !!new URL(String(value)).protocol; } catch { ok = false; } }
  return ok ? [] : [invalidValue(field, value, `protected groups must have approval annotation "${APPROVAL}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`)];
}

/** upstream validateCustomResourceDefinitionSpec (v1: schemas required, structural). */
export function validateSpec(spec: Json | undefined, path = 'spec'): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  const group = typeof s.group === 'string' ? s.group : '';
  if (!group) errs.push(required(`${path}.group`, ''));
  else if (isDNS1123Subdomain(group).length) errs.push(invalidValue(`${path}.group`, group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errs.push(invalidValue(`${path}.group`, group, 'should be a domain with at least one dot'));
  errs.push(...enumString(`${path}.scope`, s.scope, ['Cluster', 'Namespaced']));
  const versions: Json[] = Array.isArray(s.versions) ? s.versions.map((v: unknown) => (isObj(v) ? v : {})) : [];
  // requireOpenAPISchema (always on create and for v1 CRDs).
  versions.forEach((v, i) => {
    if (!isObj(v.schema) || !isObj(v.schema.openAPIV3Schema)) errs.push(required(`${path}.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  let storage = 0;
  const names = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const vp = `${path}.versions[${i}]`;
    if (v.storage === true) storage++;
    const name = typeof v.name === 'string' ? v.name : '';
    if (names.has(name)) unique = false; else names.add(name);
    const msgs = isDNS1035Label(name);
    if (msgs.length) errs.push(invalidValue(`${vp}.name`, name, msgs.join(',')));
    errs.push(...deprecationWarning(v, vp));
    errs.push(...validateVersionSchema(v.schema, isObj(v.subresources) && v.subresources.status !== undefined && v.subresources.status !== null, `${vp}.schema`));
    errs.push(...validateSubresources(v.subresources, `${vp}.subresources`));
    (Array.isArray(v.additionalPrinterColumns) ? v.additionalPrinterColumns : []).forEach((c: unknown, j: number) => {
      errs.push(...validateColumn(isObj(c) ? c : {}, `${vp}.additionalPrinterColumns[${j}]`));
    });
    if (Array.isArray(v.selectableFields) && v.selectableFields.length) {
      const seen = new Set<string>();
      v.selectableFields.forEach((f: unknown, j: number) => {
        const jp = isObj(f) && typeof f.jsonPath === 'string' ? f.jsonPath : '';
        const fp = `${vp}.selectableFields[${j}].jsonPath`;
        if (!jp) { errs.push(required(fp, '')); return; }
        if (jp === '.metadata' || jp.startsWith('.metadata.')) errs.push(invalidValue(fp, jp, 'must not point to fields in metadata'));
        if (seen.has(jp)) errs.push({ type: 'FieldValueDuplicate', field: fp, badValue: jp });
        seen.add(jp);
      });
    }
  });
  if (!unique) errs.push(invalidValue(`${path}.versions`, goVersions(versions), 'must contain unique version names'));
  if (storage !== 1) errs.push(invalidValue(`${path}.versions`, goVersions(versions), 'must have exactly one version marked as storage version'));
  const n = isObj(s.names) ? s.names : {};
  if (!n.plural) errs.push(required(`${path}.names.plural`, ''));
  if (!n.singular) errs.push(required(`${path}.names.singular`, ''));
  if (!n.kind) errs.push(required(`${path}.names.kind`, ''));
  if (!n.listKind) errs.push(required(`${path}.names.listKind`, ''));
  errs.push(...validateNames(n, `${path}.names`));
  const conv = isObj(s.conversion) ? s.conversion : undefined;
  if (conv && conv.strategy !== 'None' && s.preserveUnknownFields === true) {
    errs.push(invalidValue(`${path}.conversion.strategy`, conv.strategy ?? '', 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(conv, `${path}.conversion`));
  return errs;
}

/** upstream ValidateCustomResourceDefinitionStoredVersions. */
export function validateStoredVersions(stored: unknown, versions: unknown, path = 'status.storedVersions'): FieldError[] {
  const list = Array.isArray(stored) ? stored.map(String) : [];
  if (!list.length) return [invalidValue(path, new GoLiteral('[]string(nil)'), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const left = new Map(list.map((v, i) => [v, i]));
  for (const v of Array.isArray(versions) ? versions : []) {
    if (!isObj(v)) continue;
    const ok = left.has(String(v.name));
    if (v.storage === true && !ok) errs.push(invalidValue(path, list, `must have the storage version ${v.name}`));
    if (ok) left.delete(String(v.name));
  }
  for (const [v, i] of left) {
    errs.push(invalidValue(`${path}[${i}]`, v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
  }
  return errs;
}

/**
 * Everything upstream ValidateCustomResourceDefinition checks after ObjectMeta (which
 * the caller validates with the DNS-subdomain rule): the `<plural>.<group>` name, spec,
 * status names, stored versions, API approval and preserveUnknownFields.
 */
export function validateCustomResourceDefinition(crd: Json): FieldError[] {
  const errs: FieldError[] = [];
  const name = String(crd.metadata?.name ?? '');
  const requiredName = `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;
  if (name && name !== requiredName) errs.push(invalidValue('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  errs.push(...validateSpec(crd.spec));
  errs.push(...validateNames(crd.status?.acceptedNames, 'status.acceptedNames'));
  errs.push(...validateStoredVersions(crd.status?.storedVersions, crd.spec?.versions));
  errs.push(...validateApproval(crd));
  if (crd.spec?.preserveUnknownFields === true) {
    errs.push(invalidValue('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  return errs;
}

/** upstream validateCustomResourceDefinitionSpecUpdate's immutability (names.kind and scope only once Established). */
export function validateCustomResourceDefinitionUpdate(crd: Json, old: Json): FieldError[] {
  const errs: FieldError[] = [];
  const established = (old.status?.conditions ?? []).some((c: Json) => c?.type === 'Established' && c?.status === 'True');
  const immutable = (field: string, a: unknown, b: unknown): void => {
    if (a !== b) errs.push(invalidValue(field, a ?? '', 'field is immutable'));
  };
  if (established) {
    immutable('spec.scope', crd.spec?.scope, old.spec?.scope);
    immutable('spec.names.kind', crd.spec?.names?.kind, old.spec?.names?.kind);
  }
  immutable('spec.group', crd.spec?.group, old.spec?.group);
  immutable('spec.names.plural', crd.spec?.names?.plural, old.spec?.names?.plural);
  return errs;
}
