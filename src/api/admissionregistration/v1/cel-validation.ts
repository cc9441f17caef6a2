/**
 * CEL expressions of admission policies must compile (upstream ValidateValidatingAdmissionPolicy
 * compiles each with the Kubernetes CEL environment). Here: parsed with @bufbuild/cel;
 * a parse failure is `Invalid value: "<expr>": compilation failed: ERROR: <parser message>`.
 * Type checking against the policy's variables is not done yet.
 */
import { parse } from '@bufbuild/cel';
import { type FieldError, invalidValue } from '../../../machinery/field-errors.js';

/** The compile error of one expression at `field`, or none. */
export function celErrors(field: string, expression: unknown): FieldError[] {
  if (typeof expression !== 'string' || !expression) return [];
  try {
    parse(expression);
    return [];
  } catch (err) {
    return [invalidValue(field, expression, `compilation failed: ERROR: ${(err as Error).message.split('\n')[0]}`)];
  }
}

/** Every expression of a ValidatingAdmissionPolicy spec. */
export function policyExpressionErrors(spec: Record<string, unknown> | undefined): FieldError[] {
  const list = (k: string) => (Array.isArray(spec?.[k]) ? (spec![k] as Array<Record<string, unknown>>) : []);
  return [
    ...list('validations').flatMap((v, i) => [...celErrors(`spec.validations[${i}].expression`, v.expression), ...celErrors(`spec.validations[${i}].messageExpression`, v.messageExpression)]),
    ...list('matchConditions').flatMap((m, i) => celErrors(`spec.matchConditions[${i}].expression`, m.expression)),
    ...list('variables').flatMap((v, i) => celErrors(`spec.variables[${i}].expression`, v.expression)),
    ...list('auditAnnotations').flatMap((a, i) => celErrors(`spec.auditAnnotations[${i}].valueExpression`, a.valueExpression)),
  ];
}
