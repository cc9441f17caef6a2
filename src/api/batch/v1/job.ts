/** Job (batch/v1; pkg/registry/batch/job): parallelism 1, backoffLimit 6, NonIndexed; the pod template must restart Never or OnFailure. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { jobPrinter } from '../../printers/batch-printers.js';
import { defaultPodSpec } from '../../core/v1/pod.js';
import { validateJobSpec } from './job-validation.js';

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
  validate: (job) => validateJobSpec(job.spec, 'spec'),
  strategy: { tracksGeneration: true },
});
