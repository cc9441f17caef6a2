/**
 * Table printers of networking.k8s.io/v1 Ingress, IngressClass and NetworkPolicy, with
 * upstream v1.32's columns (pkg/printers/internalversion/printers.go: printIngress,
 * formatHosts, formatPorts, ingressLoadBalancerStatusStringer, printIngressClass,
 * printNetworkPolicy). The server prints wide, so ADDRESS is never clipped.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, formatLabelSelector, nameColumn, type AnyObject } from './core-printers.js';

/** HOSTS: the first three rule hosts, `+ N more...` past them, `*` when no rule names a host. */
function formatHosts(rules: Array<{ host?: string }> | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${(rules ?? []).length - max} more...` : list.join(',');
}

/** ADDRESS: the load-balancer ingress IPs (else hostnames), sorted and de-duplicated. */
function ingressAddress(ingress: Array<{ ip?: string; hostname?: string }> | undefined): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Class', 'string', 0, '', 'The name of the IngressClass resource that should be used for additional configuration'),
    col('Hosts', 'string', 0, '', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 0, '', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 0, '', 'Ports of TLS configurations that open'), ageColumn,
  ],
  cells(obj, now) {
    const ing = obj as AnyObject;
    const spec = ing.spec ?? {};
    return [
      ing.metadata.name, spec.ingressClassName ?? '<none>', formatHosts(spec.rules), ingressAddress(ing.status?.loadBalancer?.ingress),
      (spec.tls ?? []).length ? '80, 443' : '80', age(ing, now),
    ];
  },
};

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn, col('Controller', 'string', 0, '', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 0, '', 'A reference to a resource with additional parameters'), ageColumn,
  ],
  cells(obj, now) {
    const ic = obj as AnyObject;
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind ?? ''}${p.apiGroup !== undefined && p.apiGroup !== null ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : '<none>';
    return [ic.metadata.name, ic.spec?.controller ?? '', parameters, age(ic, now)];
  },
};

export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn, col('Pod-Selector'), ageColumn],
  cells(obj, now) {
    const np = obj as AnyObject;
    return [np.metadata.name, formatLabelSelector(np.spec?.podSelector ?? {}), age(np, now)];
  },
};
