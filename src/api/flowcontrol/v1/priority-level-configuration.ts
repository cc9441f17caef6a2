/** PriorityLevelConfiguration (flowcontrol.apiserver.k8s.io/v1): the concurrency limits of one priority level. */
import { notSupported, required } from '../../../machinery/field-errors.js';
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { priorityLevelConfigurationPrinter } from '../../printers/flowcontrol-printers.js';

/** flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration as the code here reads it (the full shape is the wire contract's). */
export type PriorityLevelConfiguration = KubeObject & Record<string, any>;

export const priorityLevelConfigurationDefinition = defineResource<PriorityLevelConfiguration>({
  group: 'flowcontrol.apiserver.k8s.io', version: 'v1', kind: 'PriorityLevelConfiguration', plural: 'prioritylevelconfigurations', namespaced: false, subresources: ['status'],
  printer: priorityLevelConfigurationPrinter,
  validate: (pl) => [
    ...(['Exempt', 'Limited'].includes(pl.spec?.type) ? [] : [notSupported('spec.type', pl.spec?.type ?? '', ['Exempt', 'Limited'])]),
    ...(pl.spec?.type === 'Limited' && !pl.spec.limited ? [required('spec.limited', 'must not be empty when type is Limited')] : []),
  ],
  defaults(pl) {
    const lim = pl.spec?.limited;
    if (lim) {
      lim.nominalConcurrencyShares ??= 30;
      lim.lendablePercent ??= 0;
      lim.limitResponse ??= { type: 'Reject' };
      const q = lim.limitResponse.queuing;
      if (lim.limitResponse.type === 'Queue') lim.limitResponse.queuing = { queues: 64, handSize: 8, queueLengthLimit: 50, ...q };
    }
  },
});
