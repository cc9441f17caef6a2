/**
 * Classification of a request (upstream k8s.io/apiserver/pkg/util/flowcontrol
 * apf_controller.go Match): the FlowSchemas are tried by ascending matchingPrecedence
 * (ties by name); the first whose rules match and whose priority level exists wins. The
 * flow is the schema's name plus the distinguisher — the user name (ByUser), the
 * namespace (ByNamespace, '' for cluster-scoped and non-resource requests) or nothing.
 */
import type { Attributes } from '../authz/authorizer.js';
import type { FlowSchemaObject } from './flowcontrol-types.js';
import { policyRulesMatch } from './rule-matching.js';

/** A schema's match: the schema and the flow distinguisher of the request. */
export interface Classification { flowSchema: FlowSchemaObject; distinguisher: string }

/** Sorts schemas for matching: matchingPrecedence ascending (default 1000), then name. */
export function sortFlowSchemas(schemas: FlowSchemaObject[]): FlowSchemaObject[] {
  const prec = (fs: FlowSchemaObject): number => fs.spec.matchingPrecedence ?? 1000;
  return [...schemas].sort((a, b) => prec(a) - prec(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

/** Whether `fs` matches the request. */
export const flowSchemaMatches = (fs: FlowSchemaObject, a: Attributes): boolean => (fs.spec.rules ?? []).some((r) => policyRulesMatch(r, a));

/** The flow distinguisher of `a` under `fs`'s distinguisher method. */
export function flowDistinguisher(fs: FlowSchemaObject, a: Attributes): string {
  switch (fs.spec.distinguisherMethod?.type) {
    case 'ByUser': return a.user.username;
    case 'ByNamespace': return a.resourceRequest ? a.namespace ?? '' : '';
    default: return '';
  }
}

/**
 * The first of `sorted` (already sorted by {@link sortFlowSchemas}) that matches `a` and
 * whose level exists (`opts.levelExists`); undefined when none does (the caller falls back to catch-all).
 */
export function classify(sorted: FlowSchemaObject[], a: Attributes, opts: { levelExists: (name: string) => boolean }): Classification | undefined {
  const { levelExists } = opts;
  for (const fs of sorted) {
    if (!levelExists(fs.spec.priorityLevelConfiguration?.name) || !flowSchemaMatches(fs, a)) continue;
    return { flowSchema: fs, distinguisher: flowDistinguisher(fs, a) };
  }
  return undefined;
}
