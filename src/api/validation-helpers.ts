/**
 * Validation shared by several kinds (upstream pkg/apis/<group>/validation): replica
 * counts, workload selectors and templates.
 */
import { type FieldError, invalidValue, notSupported, required } from '../machinery/field-errors.js';
import { selectorFromLabelSelector } from '../machinery/labels.js';
import type { LabelSelector } from './meta/v1/types.js';
import { validatePodSpec } from './core/v1/pod.js';
import type { PodTemplateSpec } from './core/v1/pod-types.js';

/** An IPv4 CIDR (a.b.c.d/0-32) or an IPv6 one (…/0-128). */
export function isCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || bits === undefined || !/^\d+$/.test(bits)) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return ip.split('.').every((p) => Number(p) <= 255) && Number(bits) <= 32;
  return ip.includes(':') && /^[0-9a-fA-F:]+$/.test(ip) && Number(bits) <= 128;
}

/** `field` must be an integer ≥ 0 when set (ValidateNonnegativeField). */
export const nonNegative = (field: string, v: unknown): FieldError[] =>
  v === undefined || v === null || (typeof v === 'number' && v >= 0) ? [] : [invalidValue(field, v, 'must be greater than or equal to 0')];

/** An update may not change spec.selector. */
export const selectorImmutable = (a: LabelSelector | undefined, b: LabelSelector | undefined): FieldError[] =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? [] : [invalidValue('spec.selector', a ?? {}, 'field is immutable')];

/**
 * A workload's selector (required, non-empty) must select its template's labels, and
 * the template's pod spec must be valid (DaemonSet, StatefulSet).
 */
export function validateWorkloadTemplate(spec: { selector?: LabelSelector; template?: PodTemplateSpec } | undefined, extraVolumes: string[] = []): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec?.selector;
  if (!sel || (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length)) errs.push(required('spec.selector'));
  if (!spec?.template) return [...errs, required('spec.template')];
  if (sel && errs.length === 0) {
    const labels = spec.template.metadata?.labels ?? {};
    if (!selectorFromLabelSelector(sel).matches(labels)) errs.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  const policy = spec.template.spec?.restartPolicy;
  if (policy && policy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
  return [...errs, ...validatePodSpec(spec.template.spec, 'spec.template.spec', extraVolumes)];
}
