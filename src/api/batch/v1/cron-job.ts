/** CronJob (batch/v1; pkg/registry/batch/cronjob): Allow concurrency, history limits 3 and 1; the schedule is required. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { cronJobPrinter } from '../../printers/batch-printers.js';
import { invalidValue, notSupported, required } from '../../../machinery/field-errors.js';
import { cronScheduleErrors, isTimeZone } from './cron-schedule.js';
import { defaultPodSpec } from '../../core/v1/pod.js';
import { validateJobSpec } from './job-validation.js';

/** batch/v1 CronJob as the code here reads it (the full shape is the wire contract's). */
export type CronJob = KubeObject & Record<string, any>;

export const cronJobDefinition = defineResource<CronJob>({
  group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: ['status'],
  printer: cronJobPrinter,
  defaults(cj) {
    cj.spec ??= {};
    cj.spec.concurrencyPolicy ??= 'Allow';
    cj.spec.suspend ??= false;
    cj.spec.successfulJobsHistoryLimit ??= 3;
    cj.spec.failedJobsHistoryLimit ??= 1;
    const js = cj.spec.jobTemplate?.spec;
    if (js) { js.backoffLimit ??= 6; js.completionMode ??= 'NonIndexed'; js.suspend ??= false; js.podReplacementPolicy ??= 'TerminatingOrFailed'; if (js.template?.spec) defaultPodSpec(js.template.spec); }
  },
  validate: (cj) => [
    ...(cj.spec?.schedule ? cronScheduleErrors(cj.spec.schedule).map((m) => invalidValue('spec.schedule', cj.spec.schedule, m)) : [required('spec.schedule')]),
    ...(cj.spec?.timeZone !== undefined && !isTimeZone(cj.spec.timeZone) ? [invalidValue('spec.timeZone', cj.spec.timeZone, `unknown time zone ${cj.spec.timeZone}`)] : []),
    ...(cj.spec?.concurrencyPolicy && !['Allow', 'Forbid', 'Replace'].includes(cj.spec.concurrencyPolicy) ? [notSupported('spec.concurrencyPolicy', cj.spec.concurrencyPolicy, ['Allow', 'Forbid', 'Replace'])] : []),
    ...validateJobSpec(cj.spec?.jobTemplate?.spec, 'spec.jobTemplate.spec'),
  ],
  strategy: { tracksGeneration: true },
});
