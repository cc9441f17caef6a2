/**
 * Field selectors (k8s.io/apimachinery/pkg/fields): `a=b,c==d,e!=f` over a flat map of
 * field values such as {'metadata.name': 'x', 'spec.nodeName': 'n1'}.
 */
import { badRequest } from './errors.js';

export interface FieldRequirement { field: string; operator: '=' | '!='; value: string }
export interface FieldSelector {
  readonly requirements: FieldRequirement[];
  empty(): boolean;
  matches(fields: Record<string, string>): boolean;
}

/** Parses a field selector; '' selects everything. Throws BadRequest on syntax errors. */
export function parseFieldSelector(input: string | undefined): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const part of (input ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${input}'; can't understand '${part}'`);
    reqs.push({ field: m[1].trim(), operator: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return {
    requirements: reqs,
    empty: () => reqs.length === 0,
    matches: (fields) => reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '=')),
  };
}
