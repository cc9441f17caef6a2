/** Job spec validation (upstream pkg/apis/batch/validation ValidateJobSpec), shared by Job and CronJob. */
import { type FieldError, invalidValue, notSupported, required } from '../../../machinery/field-errors.js';
import { validatePodSpec } from '../../core/v1/pod.js';
import type { PodTemplateSpec } from '../../core/v1/pod-types.js';
import { nonNegative } from '../../validation-helpers.js';

interface JobSpecLike { parallelism?: number; completions?: number; backoffLimit?: number; activeDeadlineSeconds?: number; completionMode?: string; template?: PodTemplateSpec }

/** Errors of a Job spec at `path` ('spec' or 'spec.jobTemplate.spec'). */
export function validateJobSpec(spec: JobSpecLike | undefined, path: string): FieldError[] {
  if (!spec?.template) return [required(`${path}.template`)];
  const errs = [
    ...nonNegative(`${path}.parallelism`, spec.parallelism), ...nonNegative(`${path}.completions`, spec.completions),
    ...nonNegative(`${path}.backoffLimit`, spec.backoffLimit),
  ];
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) errs.push(invalidValue(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be greater than 0'));
  if (spec.completionMode && !['NonIndexed', 'Indexed'].includes(spec.completionMode)) errs.push(notSupported(`${path}.completionMode`, spec.completionMode, ['Indexed', 'NonIndexed']));
  if (spec.completionMode === 'Indexed' && spec.completions === undefined) errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
  const policy = spec.template.spec?.restartPolicy;
  if (policy !== 'Never' && policy !== 'OnFailure') errs.push(notSupported(`${path}.template.spec.restartPolicy`, policy ?? '', ['OnFailure', 'Never']));
  return [...errs, ...validatePodSpec(spec.template.spec, `${path}.template.spec`)];
}
