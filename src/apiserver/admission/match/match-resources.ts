/**
 * MatchResources of ValidatingAdmissionPolicy and its bindings (upstream
 * k8s.io/apiserver/pkg/admission/plugin/policy/matching/matching.go): the namespace and
 * object selectors must match, no excludeResourceRules rule may match, and — when
 * resourceRules is non-empty — one of them must match (empty: every resource).
 */
import type { LabelSelectorLike } from '../../../machinery/labels.js';
import type { AdmissionAttributes } from '../interface.js';
import { matchesNamespaceSelector, type NamespaceGetter } from './namespace-selector.js';
import { matchesObjectSelector } from './object-selector.js';
import { matchesAnyRule, type RuleWithOperations } from './rules.js';

/** admissionregistration/v1 MatchResources. */
export interface MatchResources {
  namespaceSelector?: LabelSelectorLike | null;
  objectSelector?: LabelSelectorLike | null;
  resourceRules?: RuleWithOperations[];
  excludeResourceRules?: RuleWithOperations[];
  matchPolicy?: string;
}

/** Whether the request falls under `m` (absent: everything). Throws BadRequest for a malformed selector. */
export async function matchesResources(m: MatchResources | null | undefined, attrs: AdmissionAttributes, getNamespace: NamespaceGetter): Promise<boolean> {
  if (!m) return true;
  if (!(await matchesNamespaceSelector(m.namespaceSelector, attrs, getNamespace))) return false;
  if (!matchesObjectSelector(m.objectSelector, attrs)) return false;
  if (matchesAnyRule(m.excludeResourceRules, attrs)) return false;
  return !m.resourceRules?.length || matchesAnyRule(m.resourceRules, attrs);
}
