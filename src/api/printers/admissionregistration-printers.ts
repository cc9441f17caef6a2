/**
 * Table printers of admissionregistration.k8s.io/v1 MutatingWebhookConfiguration,
 * ValidatingWebhookConfiguration, ValidatingAdmissionPolicy and
 * ValidatingAdmissionPolicyBinding, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printMutatingWebhook,
 * printValidatingWebhook, printValidatingAdmissionPolicy,
 * printValidatingAdmissionPolicyBinding).
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

const webhooksColumns = [nameColumn, col('Webhooks', 'integer', 0, '', 'Webhooks indicates the number of webhooks registered in this configuration'), ageColumn];

export const mutatingWebhookConfigurationPrinter: TablePrinter = {
  columns: webhooksColumns,
  cells: (obj, now) => [obj.metadata.name, ((obj as AnyObject).webhooks ?? []).length, age(obj, now)],
};

export const validatingWebhookConfigurationPrinter: TablePrinter = {
  columns: webhooksColumns,
  cells: (obj, now) => [obj.metadata.name, ((obj as AnyObject).webhooks ?? []).length, age(obj, now)],
};

export const validatingAdmissionPolicyPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Validations', 'integer', 0, '', 'Validations indicates the number of validation rules defined in this configuration'),
    col('ParamKind', 'string', 0, '', 'ParamKind specifies the kind of resources used to parameterize this policy'), ageColumn,
  ],
  cells(obj, now) {
    const p = obj as AnyObject;
    const pk = p.spec?.paramKind;
    return [p.metadata.name, (p.spec?.validations ?? []).length, pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>', age(p, now)];
  },
};

type LabelSelector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }> };

/**
 * The Go (gogo-protobuf) String() of a metav1.LabelSelector, which upstream prints for
 * a paramRef chosen by selector: `&LabelSelector{MatchLabels:map[string]string{k: v,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
export function goLabelSelectorString(s: LabelSelector): string {
  const labels = Object.keys(s.matchLabels ?? {}).sort().map((k) => `${k}: ${s.matchLabels![k]},`).join('');
  const exprs = (s.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key ?? ''},Operator:${e.operator ?? ''},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = {
  columns: [
    nameColumn, col('PolicyName', 'string', 0, '', 'PolicyName indicates the policy definition which the policy binding binded to'),
    col('ParamRef', 'string', 0, '', 'ParamRef indicates the param resource which sets the configration param'), ageColumn,
  ],
  cells(obj, now) {
    const b = obj as AnyObject;
    const pr = b.spec?.paramRef;
    let param = '<unset>';
    if (pr) {
      // A named param without a namespace may be cluster-scoped or per-namespace: `*/<name>`.
      if (pr.name) param = pr.namespace ? `${pr.namespace}/${pr.name}` : `*/${pr.name}`;
      else if (pr.selector) param = goLabelSelectorString(pr.selector);
    }
    return [b.metadata.name, b.spec?.policyName ?? '', param, age(b, now)];
  },
};
