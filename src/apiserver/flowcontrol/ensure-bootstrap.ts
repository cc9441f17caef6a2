/**
 * Maintenance of the bootstrap configuration objects at apiserver start (upstream
 * k8s.io/apiserver/pkg/util/flowcontrol/apihelpers and pkg/registry/flowcontrol/ensurer,
 * the `priority-and-fairness-config-producer` post-start hook):
 *  - a missing object is created, annotated `apf.kubernetes.io/autoupdate-spec: "true"`;
 *  - a mandatory object (`exempt`, `catch-all`) always gets its spec back;
 *  - a suggested object's spec is restored when its annotation says "true"; "false" leaves
 *    it alone; without a valid boolean, it is kept up to date only while its generation is
 *    1 (nobody changed it since creation). The annotation is then written with the
 *    decision.
 *  - an object annotated "true" whose name is not a bootstrap object's is deleted (upstream
 *    RemoveUnwantedObjects: configuration the server once maintained and no longer
 *    suggests); objects without the annotation, or "false", are the users' own.
 * Writes are retried on conflict. Errors are collected per object, not thrown.
 */
import type { KubeObject } from '../../api/object.js';
import { refOf, untyped } from '../../api/resource-definition.js';
import { flowSchemaDefinition } from '../../api/flowcontrol/v1/flow-schema.js';
import { priorityLevelConfigurationDefinition } from '../../api/flowcontrol/v1/priority-level-configuration.js';
import type { Client, ResourceRef } from '../../client/interface.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../machinery/errors.js';
import { mandatoryFlowSchemas, mandatoryPriorityLevels, suggestedFlowSchemas, suggestedPriorityLevels } from './bootstrap-configuration.js';

/** Upstream's flowcontrolv1.AutoUpdateAnnotationKey. */
export const AUTOUPDATE_SPEC_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec';

/** What happened to each object, as `Kind name` keys. */
export interface EnsureReport { created: string[]; updated: string[]; unchanged: string[]; deleted: string[]; errors: Array<{ object: string; error: string }> }

type Obj = KubeObject & { spec?: unknown };
const MAX_CONFLICT_RETRIES = 5;
const refs: Record<string, ResourceRef> = {
  FlowSchema: refOf(untyped(flowSchemaDefinition)),
  PriorityLevelConfiguration: refOf(untyped(priorityLevelConfigurationDefinition)),
};

/** Canonical JSON: keys sorted, empty arrays and absent values dropped (upstream compares specs semantically). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined || x === null || (Array.isArray(x) && x.length === 0)) continue;
      out[k] = canonical(x);
    }
    return out;
  }
  return v;
}
/** Whether two specs are the same once canonical (upstream SpecEqualish). */
export const specEqualish = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** `"true"`/`"false"` (and Go's other ParseBool spellings) → boolean; anything else undefined. */
function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/**
 * Whether the spec of an existing suggested object is kept up to date (upstream
 * shouldUpdateSpec): the annotation's boolean, else whether generation is still 1.
 */
export function autoUpdatesSpec(existing: { metadata: { annotations?: Record<string, string>; generation?: number } }): boolean {
  return parseBool(existing.metadata.annotations?.[AUTOUPDATE_SPEC_ANNOTATION]) ?? existing.metadata.generation === 1;
}

async function ensureOne(client: Client, wanted: Obj, mandatory: boolean): Promise<'created' | 'updated' | 'unchanged'> {
  const rc = client.resource<Obj>(refs[wanted.kind!]);
  const name = wanted.metadata.name!;
  for (let attempt = 0; ; attempt++) {
    try {
      let existing: Obj;
      try { existing = await rc.get(name); } catch (e) {
        if (!isNotFound(e)) throw e;
        await rc.create({ ...wanted, metadata: { ...wanted.metadata, annotations: { [AUTOUPDATE_SPEC_ANNOTATION]: 'true' } } });
        return 'created';
      }
      const autoUpdate = mandatory || autoUpdatesSpec(existing);
      const annotationOk = parseBool(existing.metadata.annotations?.[AUTOUPDATE_SPEC_ANNOTATION]) === autoUpdate;
      const specChanged = autoUpdate && !specEqualish(existing.spec, wanted.spec);
      if (annotationOk && !specChanged) return 'unchanged';
      const next: Obj = structuredClone(existing);
      next.metadata.annotations = { ...(existing.metadata.annotations ?? {}), [AUTOUPDATE_SPEC_ANNOTATION]: String(autoUpdate) };
      if (specChanged) next.spec = structuredClone(wanted.spec);
      await rc.update(next);
      return 'updated';
    } catch (e) {
      if (attempt < MAX_CONFLICT_RETRIES && (isConflict(e) || isAlreadyExists(e))) continue;
      throw e;
    }
  }
}

/**
 * Creates or updates the mandatory and suggested FlowSchemas and
 * PriorityLevelConfigurations through `client` (an admin). Priority levels first, so
 * that no schema is ever dangling. Never throws for a single object.
 */
export async function ensureFlowControlBootstrap(client: Client): Promise<EnsureReport> {
  const report: EnsureReport = { created: [], updated: [], unchanged: [], deleted: [], errors: [] };
  // The bootstrap objects are plain API objects; the client takes them as KubeObjects.
  const tag = (objects: object[], mandatory: boolean): Array<[Obj, boolean]> => objects.map((o) => [o as Obj, mandatory]);
  const all = [
    ...tag(mandatoryPriorityLevels(), true), ...tag(suggestedPriorityLevels(), false),
    ...tag(mandatoryFlowSchemas(), true), ...tag(suggestedFlowSchemas(), false),
  ];
  for (const [obj, mandatory] of all) {
    const key = `${obj.kind} ${obj.metadata.name}`;
    try { report[await ensureOne(client, obj, mandatory)].push(key); } catch (e) { report.errors.push({ object: key, error: (e as Error).message }); }
  }
  for (const kind of Object.keys(refs)) {
    const wanted = new Set(all.filter(([o]) => o.kind === kind).map(([o]) => o.metadata.name));
    try {
      const rc = client.resource<Obj>(refs[kind]);
      for (const o of (await rc.list()).items) {
        if (wanted.has(o.metadata.name) || parseBool(o.metadata.annotations?.[AUTOUPDATE_SPEC_ANNOTATION]) !== true) continue;
        const key = `${kind} ${o.metadata.name}`;
        try {
          await rc.delete(o.metadata.name!, { preconditions: { uid: o.metadata.uid } });
          report.deleted.push(key);
        } catch (e) { if (!isNotFound(e) && !isConflict(e)) report.errors.push({ object: key, error: (e as Error).message }); }
      }
    } catch (e) { report.errors.push({ object: kind, error: (e as Error).message }); }
  }
  return report;
}
