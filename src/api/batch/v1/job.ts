/** Job (batch/v1; pkg/registry/batch/job): parallelism 1, backoffLimit 6, NonIndexed; the pod template must restart Never or OnFailure; the selector and template labels are generated from the Job's uid unless manualSelector. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { jobPrinter } from '../../printers/batch-printers.js';
import { defaultPodSpec } from '../../core/v1/pod.js';
import { validateJobSpec } from './job-validation.js';
import { invalidValue, required, type FieldError } from '../../../machinery/field-errors.js';
import { selectorFromLabelSelector } from '../../../machinery/labels.js';

/** Labels the API puts on a Job's pod template, and its generated selector's key (upstream batch/v1 constants). */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
const LEGACY_JOB_NAME_LABEL = 'job-name';
const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

/**
 * Unless `spec.manualSelector` is true (upstream jobStrategy generateSelector): the pod
 * template gets `job-name`/`batch.kubernetes.io/job-name` = the Job's name and
 * `controller-uid`/`batch.kubernetes.io/controller-uid` = its uid (labels the user set
 * are kept, and judged by validation), and the selector matches
 * `batch.kubernetes.io/controller-uid`. Needs metadata.uid (set before prepareForCreate).
 */
export function generateJobSelector(job: Job): void {
  const s = job.spec ??= {};
  s.manualSelector ??= false;
  if (s.manualSelector === true) return;
  s.template ??= {};
  const tm = s.template.metadata ??= {};
  const labels: Record<string, string> = tm.labels ??= {};
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) labels[k] ??= job.metadata.name ?? '';
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) labels[k] ??= job.metadata.uid ?? '';
  const sel = s.selector ??= {};
  const ml: Record<string, string> = sel.matchLabels ??= {};
  ml[CONTROLLER_UID_LABEL] ??= job.metadata.uid ?? '';
}

/** A Job's selector against its template (upstream ValidateJob / validateGeneratedSelector). */
function validateJobSelector(job: Job): FieldError[] {
  const s = job.spec ?? {};
  const sel = s.selector;
  if (!sel) return [required('spec.selector')];
  const errs: FieldError[] = [];
  if (s.manualSelector !== true && job.metadata.uid && sel.matchLabels?.[CONTROLLER_UID_LABEL] !== job.metadata.uid) {
    errs.push(invalidValue('spec.selector', sel, '`selector` not auto-generated'));
  }
  const labels = s.template?.metadata?.labels ?? {};
  if (!selectorFromLabelSelector(sel).matches(labels)) errs.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  return errs;
}

/** batch/v1 Job as the code here reads it (the full shape is the wire contract's). */
export type Job = KubeObject & Record<string, any>;

export const jobDefinition = defineResource<Job>({
  group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'], subresources: ['status'],
  printer: jobPrinter,
  defaults(job) {
    job.spec ??= {};
    const s = job.spec;
    // Both unset: one pod to completion; otherwise parallelism defaults to 1 and completions stays unset.
    if (s.completions === undefined && s.parallelism === undefined) { s.completions = 1; s.parallelism = 1; } else s.parallelism ??= 1;
    s.backoffLimit ??= 6;
    s.completionMode ??= 'NonIndexed';
    s.suspend ??= false;
    s.podReplacementPolicy ??= 'TerminatingOrFailed';
    if (s.template?.spec) defaultPodSpec(s.template.spec);
  },
  validate: (job) => {
    const errs = validateJobSpec(job.spec, 'spec');
    return errs.length ? errs : validateJobSelector(job);
  },
  strategy: {
    tracksGeneration: true,
    prepareForCreate(job) { delete job.status; generateJobSelector(job); },
  },
});
