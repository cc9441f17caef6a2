/**
 * matchConditions of webhooks and policies (upstream
 * k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions/matcher.go): CEL
 * expressions that must all be true for the webhook or policy to apply. The first false
 * one ends the evaluation (no match); an expression that does not compile, errs, or is
 * not a bool makes the whole evaluation an error, which the caller judges by its
 * failurePolicy (Fail: refuse; Ignore: skip). Upstream evaluates every condition and
 * prefers a false over an error; so does this.
 */
import type { CelInput } from '@bufbuild/cel';
import { compiled } from '../../cel/environment.js';

/** admissionregistration/v1 MatchCondition. */
export interface MatchCondition { name: string; expression: string }

/** The outcome: matches, or the error naming the condition (upstream's wording). */
export type MatchConditionResult = { matches: boolean; error?: undefined } | { error: string; matches?: undefined };

/** Evaluates `conditions` against `bindings` (see cel/admission-bindings.ts). Never throws. */
export function evaluateMatchConditions(conditions: MatchCondition[] | undefined, bindings: Record<string, CelInput>): MatchConditionResult {
  let firstError: string | undefined;
  for (const c of conditions ?? []) {
    let outcome;
    try {
      outcome = compiled(c.expression).evaluate(bindings);
    } catch (err) {
      firstError ??= `failed to evaluate match condition "${c.name}": ${(err as Error).message}`;
      continue;
    }
    if (outcome.error !== undefined) { firstError ??= `matchCondition '${c.name}' evaluation error: ${outcome.error}`; continue; }
    if (typeof outcome.value !== 'boolean') { firstError ??= `matchCondition '${c.name}' evaluation error: cel expression must evaluate to a bool`; continue; }
    if (!outcome.value) return { matches: false };
  }
  return firstError ? { error: firstError } : { matches: true };
}
