/**
 * OpenAPI v3 documents (upstream k8s.io/kube-openapi, served at /openapi/v3): the root
 * lists one document per group/version; each document has the resource paths with
 * their operations (and the `fieldValidation` query parameter on PATCH, which is how
 * kubectl decides to rely on server-side field validation) and the kinds' schemas
 * generated from the wire contract of their protobuf messages (structural-schema.ts),
 * or from their TypeBox schemas for kinds without one.
 */
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../api/resource-definition.js';
import { groupVersion } from '../api/resource-definition.js';
import { openApiRefs, openApiRefTarget, structuralSchema } from '../api/structural/structural-schema.js';
import { definitionName } from './openapi-v2.js';

export interface OpenApiDocs { root: unknown; doc(gvPath: string): unknown | undefined }

const strip = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema, (k, v) => (typeof k === 'string' && k.startsWith('$') && k !== '$ref' ? undefined : v)));

/** Builds the documents for `kinds`. */
export function buildOpenApi(kinds: ResourceDefinition[]): OpenApiDocs {
  const byGV = new Map<string, ResourceDefinition[]>();
  for (const k of kinds) {
    const p = k.info.group ? `apis/${k.info.group}/${k.info.version}` : `api/${k.info.version}`;
    byGV.set(p, [...(byGV.get(p) ?? []), k]);
  }
  const docs = new Map<string, unknown>();
  const root: { paths: Record<string, { serverRelativeURL: string }> } = { paths: {} };
  for (const [gvPath, ks] of byGV) {
    const paths: Record<string, unknown> = {};
    const schemas: Record<string, unknown> = {};
    for (const k of ks) {
      const gvk = { group: k.info.group, version: k.info.version, kind: k.info.kind };
      const base = `/${gvPath}${k.info.namespaced ? '/namespaces/{namespace}' : ''}/${k.info.plural}`;
      const ref = { $ref: `#/components/schemas/${schemaName(k)}` };
      const body = { content: { 'application/json': { schema: ref } } };
      const ok = { 200: { description: 'OK', content: { 'application/json': { schema: ref } } } };
      const op = (action: string, extra: object = {}) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, responses: ok, ...extra });
      const q = (name: string) => ({ name, in: 'query', schema: { type: 'string' } });
      paths[base] = { get: op('list'), post: op('post', { requestBody: body, parameters: [q('dryRun'), q('fieldManager'), q('fieldValidation')] }) };
      paths[`${base}/{name}`] = {
        get: op('get'), put: op('put', { requestBody: body, parameters: [q('dryRun'), q('fieldManager'), q('fieldValidation')] }),
        patch: op('patch', { parameters: [q('dryRun'), q('fieldManager'), q('fieldValidation'), q('force')] }),
        delete: op('delete'),
      };
      const schema = k.protobufMessage ? structuralSchema(k.protobufMessage, { openApi: true }) : strip(k.schema);
      schemas[schemaName(k)] = { ...(schema as object), description: `${k.info.kind} (${groupVersion(k.info)})`, 'x-kubernetes-group-version-kind': [gvk] };
    }
    // Definitions that recursive schemas refer to (JSONSchemaProps), themselves possibly referring to more.
    for (let added = true; added;) {
      added = false;
      for (const name of openApiRefs(schemas)) {
        const message = openApiRefTarget(name);
        if (schemas[name] || !message) continue;
        schemas[name] = structuralSchema(message, { openApi: true });
        added = true;
      }
    }
    const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas } };
    docs.set(gvPath, doc);
    const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 64).toUpperCase();
    root.paths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${hash}` };
  }
  return { root, doc: (p) => docs.get(p) };
}

/** Upstream's definition name, as in /openapi/v2 (`io.k8s.api.apps.v1.Deployment`, `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition`). */
const schemaName = (k: ResourceDefinition): string => definitionName(k);
