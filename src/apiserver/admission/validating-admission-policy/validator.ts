/**
 * Evaluates one policy for one request and one param (upstream
 * admission/plugin/policy/validating/validator.go): the policy's variables are
 * composited in order into `variables`, then its matchConditions decide whether it
 * applies, then every validation gives a decision:
 * - true: admit;
 * - false: deny with `message` (trimmed), else the messageExpression's value (a
 *   non-empty single-line string), else `failed expression: <expression>`; the reason is
 *   the validation's, default Invalid;
 * - an error (also a result that is not a bool, or an expression that does not compile):
 *   `expression '<expr>' resulted in error: <error>`, a denial under failurePolicy Fail
 *   and an admission under Ignore.
 * Then each `auditAnnotations` valueExpression gives `<policy>/<key>` when it is a
 * non-empty string (cut at 10 KiB; null omits it).
 */
import { celMap, type CelInput } from '@bufbuild/cel';
import type { KubeObject } from '../../../api/object.js';
import { admissionBindings } from '../../cel/admission-bindings.js';
import { compiled, type CelOutcome } from '../../cel/environment.js';
import type { AdmissionAttributes } from '../interface.js';
import { evaluateMatchConditions } from '../match/match-conditions.js';
import type { ValidatingAdmissionPolicy } from './types.js';

/** One validation's outcome (upstream PolicyDecision). */
export interface PolicyDecision { action: 'admit' | 'deny'; evaluationError?: boolean; message?: string; reason?: string }

const evaluate = (expression: string, bindings: Record<string, CelInput>): CelOutcome => {
  try { return compiled(expression).evaluate(bindings); } catch (err) { return { error: (err as Error).message }; }
};

/** Upstream bounds a messageExpression's result at 5120 characters. */
const MAX_MESSAGE_LENGTH = 5120;

/** What one evaluation gives: the validations' decisions and the policy's audit annotations (`<policy>/<key>`). */
export interface PolicyEvaluation { decisions: PolicyDecision[]; auditAnnotations: Record<string, string> }

/** Evaluates `policy` for `attrs` with `params` (null without) and `namespaceObject`. Never throws. */
export function validatePolicy(policy: ValidatingAdmissionPolicy, attrs: AdmissionAttributes, params: KubeObject | null, namespaceObject: KubeObject | undefined): PolicyEvaluation {
  const spec = policy.spec ?? {};
  const onError: PolicyDecision['action'] = spec.failurePolicy === 'Ignore' ? 'admit' : 'deny';
  const bindings = admissionBindings(attrs, { params, namespaceObject });
  // Variables: each sees the ones before it; one that errs is left out (a later use is then an error).
  const vars = new Map<string, CelInput>();
  for (const v of spec.variables ?? []) {
    const out = evaluate(v.expression, { ...bindings, variables: celMap(vars) });
    if (out.error === undefined) vars.set(v.name, out.value as CelInput);
  }
  bindings.variables = celMap(vars);
  if (spec.matchConditions?.length) {
    const m = evaluateMatchConditions(spec.matchConditions, bindings);
    if (m.error !== undefined) return { decisions: [{ action: onError, evaluationError: true, message: m.error }], auditAnnotations: {} };
    if (!m.matches) return { decisions: [], auditAnnotations: {} };
  }
  const decisions = (spec.validations ?? []).map((v): PolicyDecision => {
    const out = evaluate(v.expression, bindings);
    const error = out.error ?? (typeof out.value === 'boolean' ? undefined : `expected a bool, got ${typeof out.value}`);
    if (error !== undefined) return { action: onError, evaluationError: true, message: `expression '${v.expression}' resulted in error: ${error}` };
    if (out.value === true) return { action: 'admit' };
    let message = v.message?.trim() ?? '';
    if (v.messageExpression) {
      const m = evaluate(v.messageExpression, bindings);
      const text = typeof m.value === 'string' ? m.value.trim() : '';
      if (text && !text.includes('\n') && text.length <= MAX_MESSAGE_LENGTH) message = text;
    }
    return { action: 'deny', message: message || `failed expression: ${v.expression.trim()}`, reason: v.reason || 'Invalid' };
  });
  // auditAnnotations: a string value is recorded, null omits the key, anything else (or an error) is left out.
  const auditAnnotations: Record<string, string> = {};
  for (const a of spec.auditAnnotations ?? []) {
    const out = evaluate(a.valueExpression, bindings);
    if (typeof out.value === 'string' && out.value) auditAnnotations[`${policy.metadata.name}/${a.key}`] = out.value.slice(0, 10 * 1024);
  }
  return { decisions, auditAnnotations };
}
