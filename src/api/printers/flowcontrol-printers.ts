/**
 * Table printers of flowcontrol.apiserver.k8s.io/v1 FlowSchema and
 * PriorityLevelConfiguration, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printFlowSchema,
 * printPriorityLevelConfiguration): MISSINGPL is the status of the Dangling condition
 * (`?` without one); an Exempt level prints `<none>` for its limits.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

export const flowSchemaPrinter: TablePrinter = {
  columns: [
    nameColumn, col('PriorityLevel'), col('MatchingPrecedence'), col('DistinguisherMethod'), ageColumn,
    col('MissingPL', 'string', 0, '', 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  cells(obj, now) {
    const fs = obj as AnyObject;
    const spec = fs.spec ?? {};
    const dangling = ((fs.status?.conditions ?? []) as Array<{ type?: string; status?: string }>).find((c) => c.type === 'Dangling');
    return [
      fs.metadata.name, spec.priorityLevelConfiguration?.name ?? '', spec.matchingPrecedence ?? 0, spec.distinguisherMethod ? spec.distinguisherMethod.type ?? '' : '<none>',
      age(fs, now), dangling ? dangling.status ?? '' : '?',
    ];
  },
};

export const priorityLevelConfigurationPrinter: TablePrinter = {
  columns: [nameColumn, col('Type'), col('NominalConcurrencyShares'), col('Queues'), col('HandSize'), col('QueueLengthLimit'), ageColumn],
  cells(obj, now) {
    const pl = obj as AnyObject;
    const limited = pl.spec?.limited;
    let shares: unknown = '<none>', queues: unknown = '<none>', handSize: unknown = '<none>', queueLengthLimit: unknown = '<none>';
    if (limited) {
      shares = limited.nominalConcurrencyShares ?? 0;
      const qc = limited.limitResponse?.queuing;
      if (qc) { queues = qc.queues ?? 0; handSize = qc.handSize ?? 0; queueLengthLimit = qc.queueLengthLimit ?? 0; }
    }
    return [pl.metadata.name, pl.spec?.type ?? '', shares, queues, handSize, queueLengthLimit, age(pl, now)];
  },
};
